package org.graft.demo.load.internal;

import java.util.ArrayList;
import java.util.List;

/** What a load did so far: a snapshot, per thread and in total. Formatted by {@link LoadFormat}. */
public final class LoadReport {
    /** One load thread: its key, its calls, and the counter's value for its key. */
    public static final class ThreadReport {
        public String thread;
        public String key;
        /** Calls that returned normally. */
        public long calls;
        public long failed;
        /** The longest single call, successful or not. */
        public long longestNanos;
        /** {@code get(key)} when the load started: the load checks what it added, not what was there. */
        public long counterAtStart;
        /** {@code get(key)} when the report was made. */
        public long counterNow;

        /** Whether the counter gained exactly the calls made: meaningful only once the load is stopped. */
        public boolean kept() {
            return counterNow - counterAtStart == calls;
        }
    }

    /** Whether some load thread is still alive (then the counters are read while they change). */
    public boolean running;
    public long startedAtMillis;
    /** From the start to the stop, or to now while running. */
    public long elapsedNanos;
    public final List<ThreadReport> threads = new ArrayList<>();
    public long calls;
    public long failed;
    public long longestNanos;
    /** When the first and the last failed call failed, epoch ms; 0 if none failed. */
    public long firstFailureAtMillis;
    public long lastFailureAtMillis;
    /** The first failures, "thread call n: exception", at most {@link CounterLoad#KEPT_FAILURES}. */
    public final List<String> firstFailures = new ArrayList<>();
    /** {@code counter.version()} when the report was made; the exception's text if that call failed. */
    public String counterVersion;
    /** The registration of the service the load calls (its service.id); 0 where the load has no owner that knows it. */
    public long serviceId;
    /** Whether that registration is a Graft proxy (service property graft.managed=true). */
    public boolean serviceManaged;
    /** MODIFIED events of that registration since the start: Graft's updates change its properties. */
    public int serviceModifiedEvents;
    /** Whether that registration went away since the start (the load kept calling its object). */
    public boolean serviceUnregistered;

    /** What the load calls: "counter", or the consumer it goes through (see {@link Via}). */
    public String via = "counter";
    /** Through a consumer: its activation count at the start and now; -1 otherwise. */
    public int consumerActivationsAtStart = -1;
    public int consumerActivationsNow = -1;
    /** Through a consumer: the version of the counter registered now (the consumer may reach another). */
    public String registeredCounterVersion;

    /** Whether every thread's key gained exactly its calls. */
    public boolean allKept() {
        return threads.stream().allMatch(ThreadReport::kept);
    }
}
