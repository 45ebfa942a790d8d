package org.graft.demo.load.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.graft.sample.api.CounterService;

/**
 * Load on one {@link CounterService} object: {@code n} named threads, thread {@code i} calling
 * {@code increment(prefix + i)} nonstop until {@link #stop}. It keeps calling the very object it was
 * given, whatever happens to the implementation behind it: under Graft that object is the proxy, which
 * stays registered across versions, so the load sees an update only through its calls.
 *
 * <p>Plain Java, no OSGi or Karaf types: the bundle's {@link DemoLoad} owns it, the tests drive it
 * with an in-test counter. One load runs once: start a new one to run again.
 */
public final class CounterLoad {
    /** How many failure messages are kept (every failure is counted). */
    public static final int KEPT_FAILURES = 5;
    public static final String THREAD_PREFIX = "graft-demo-load-";

    private final CounterService counter;
    private final List<Worker> workers = new ArrayList<>();
    private final AtomicInteger failuresSeen = new AtomicInteger();
    // The first KEPT_FAILURES failures, in the order their threads claimed a slot in failuresSeen.
    private final List<String> firstFailures = new ArrayList<>();
    // When the first and the last failure happened (epoch ms), 0 while none has: when calls failed.
    private final AtomicLong firstFailureAtMillis = new AtomicLong();
    private final AtomicLong lastFailureAtMillis = new AtomicLong();
    // 0 until start(); set once, under this object's lock.
    private volatile long startedAtMillis;
    private volatile long startedAtNanos;
    // 0 until stop() saw every thread end; then the elapsed time is frozen.
    private volatile long stoppedAtNanos;
    // Read by every load thread before each call; cleared once, by stop() or close.
    private volatile boolean running;

    public CounterLoad(CounterService counter, int threads, String keyPrefix) {
        this.counter = Objects.requireNonNull(counter, "counter");
        Objects.requireNonNull(keyPrefix, "keyPrefix");
        if (threads < 1) {
            throw new IllegalArgumentException("A load needs at least one thread, not " + threads);
        }
        for (int i = 0; i < threads; i++) {
            workers.add(new Worker(THREAD_PREFIX + i, keyPrefix + i));
        }
    }

    /** The object the load calls. */
    public CounterService counter() {
        return counter;
    }

    public List<String> keys() {
        List<String> keys = new ArrayList<>();
        workers.forEach(worker -> keys.add(worker.key));
        return keys;
    }

    /**
     * Reads each key's value (to check later what the load added), then starts the threads.
     *
     * @throws IllegalStateException if this load was started before
     */
    public synchronized void start() {
        if (startedAtMillis != 0L) {
            throw new IllegalStateException("This load was started already (threads " + workers.get(0).thread.getName() + "...)");
        }
        for (Worker worker : workers) {
            worker.counterAtStart = counter.get(worker.key);
        }
        startedAtMillis = System.currentTimeMillis();
        startedAtNanos = System.nanoTime();
        running = true;
        workers.forEach(worker -> worker.thread.start());
    }

    /** Whether a load thread is still alive. */
    public boolean isRunning() {
        return workers.stream().anyMatch(worker -> worker.thread.isAlive());
    }

    public boolean wasStarted() {
        return startedAtMillis != 0L;
    }

    /**
     * Asks the threads to stop after their current call and waits for them, at most {@code timeout} in
     * all. A thread stuck in a call (held by an update, or a slow implementation) keeps running until
     * that call returns; calling this again waits again.
     *
     * @throws IllegalStateException naming every thread that did not end in time, and where it is
     */
    public void stop(long timeout, TimeUnit unit) throws InterruptedException {
        running = false;
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        List<String> stuck = new ArrayList<>();
        for (Worker worker : workers) {
            long left = deadline - System.nanoTime();
            if (left > 0) {
                TimeUnit.NANOSECONDS.timedJoin(worker.thread, left);
            }
            if (worker.thread.isAlive()) {
                stuck.add(describe(worker.thread));
            }
        }
        if (!stuck.isEmpty()) {
            throw new IllegalStateException(stuck.size() + " of " + workers.size() + " load threads did not stop within "
                    + unit.toMillis(timeout) + " ms: " + String.join("; ", stuck)
                    + ". They end when their current call returns: stop again to wait for them.");
        }
        synchronized (this) {
            if (stoppedAtNanos == 0L && wasStarted()) {
                stoppedAtNanos = System.nanoTime();
            }
        }
    }

    /**
     * Interrupts the threads that are still alive: the last resort when the owner goes away and
     * {@link #stop} did not end them. Returns their names.
     */
    public List<String> interruptRemaining() {
        running = false;
        List<String> interrupted = new ArrayList<>();
        for (Worker worker : workers) {
            if (worker.thread.isAlive()) {
                worker.thread.interrupt();
                interrupted.add(worker.thread.getName());
            }
        }
        return interrupted;
    }

    /**
     * What the load did so far, with each key's counter value and the counter's version read now
     * through the same object. Once stopped, each key's value has gained exactly its thread's calls
     * if the counter kept every increment.
     */
    public LoadReport report() {
        LoadReport report = new LoadReport();
        report.running = isRunning();
        report.startedAtMillis = startedAtMillis;
        long end = stoppedAtNanos != 0L ? stoppedAtNanos : System.nanoTime();
        report.elapsedNanos = wasStarted() ? end - startedAtNanos : 0L;
        for (Worker worker : workers) {
            LoadReport.ThreadReport thread = new LoadReport.ThreadReport();
            thread.thread = worker.thread.getName();
            thread.key = worker.key;
            // Calls first, then the counter: while running the counter can only be ahead of the calls.
            thread.calls = worker.calls.get();
            thread.failed = worker.failed.get();
            thread.longestNanos = worker.longestNanos.get();
            thread.counterAtStart = worker.counterAtStart;
            thread.counterNow = counter.get(worker.key);
            report.threads.add(thread);
            report.calls += thread.calls;
            report.failed += thread.failed;
            report.longestNanos = Math.max(report.longestNanos, thread.longestNanos);
        }
        synchronized (firstFailures) {
            report.firstFailures.addAll(firstFailures);
        }
        report.firstFailureAtMillis = firstFailureAtMillis.get();
        report.lastFailureAtMillis = lastFailureAtMillis.get();
        try {
            report.counterVersion = counter.version();
        } catch (RuntimeException e) {
            // The report is still worth printing; the failure is shown in place of the version.
            report.counterVersion = "(version() failed: " + e + ")";
        }
        return report;
    }

    private void recordFailure(String thread, long call, Throwable failure) {
        long now = System.currentTimeMillis();
        firstFailureAtMillis.compareAndSet(0L, now);
        lastFailureAtMillis.accumulateAndGet(now, Math::max);
        if (failuresSeen.getAndIncrement() < KEPT_FAILURES) {
            synchronized (firstFailures) {
                firstFailures.add(thread + " call " + call + ": " + failure);
            }
        }
    }

    private static String describe(Thread thread) {
        StackTraceElement[] stack = thread.getStackTrace();
        return thread.getName() + " (" + thread.getState() + (stack.length == 0 ? "" : " at " + stack[0]) + ")";
    }

    /** One load thread and its figures. Each figure has one writer, the thread; readers see the last value written. */
    private final class Worker implements Runnable {
        final String key;
        final Thread thread;
        // Written by start() before the thread starts, read after: Thread.start orders the two.
        long counterAtStart;
        final AtomicLong calls = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
        final AtomicLong longestNanos = new AtomicLong();

        Worker(String name, String key) {
            this.key = key;
            this.thread = new Thread(this, name);
            // The owner stops and joins the threads; daemon only so that a call stuck forever cannot
            // keep the JVM from exiting.
            thread.setDaemon(true);
        }

        @Override
        public void run() {
            long succeeded = 0L;
            long failures = 0L;
            long longest = 0L;
            while (running) {
                long start = System.nanoTime();
                try {
                    counter.increment(key);
                    succeeded++;
                    // Single writer: a release store is enough, and cheaper than a read-modify-write.
                    calls.setRelease(succeeded);
                } catch (VirtualMachineError e) {
                    throw e;
                } catch (Throwable t) {
                    // Not swallowed: counted, and the first ones kept for the report. The load goes on,
                    // as a real consumer would, so that a failure does not hide what follows it.
                    failures++;
                    failed.setRelease(failures);
                    recordFailure(thread.getName(), succeeded + failures, t);
                }
                long took = System.nanoTime() - start;
                if (took > longest) {
                    longest = took;
                    longestNanos.setRelease(longest);
                }
            }
        }
    }
}
