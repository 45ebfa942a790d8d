package org.graft.benchmarks.harness;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

import org.graft.benchmarks.MapService;
import org.graft.benchmarks.Service;
import org.graft.container.internal.gate.CallGate;
import org.graft.container.internal.gate.GateSet;
import org.graft.container.internal.proxy.ProxyFactory;

/**
 * What an update costs the callers of a directly linked proxy against the counted gate, in one JVM:
 * {@code graft.callers} (4) threads call a map lookup through the proxy nonstop while an updater runs
 * the gate protocol of an update (unlink with its stack scan, hold, drain, swap to an instance of a
 * class loaded afresh, as a new bundle version's is), the two link kinds interleaved update by update.
 *
 * <p>Two passes. The <b>dip</b> pass ({@code graft.dip.updates}, 40 per kind, one a second): calls per
 * 10 ms window after an update starts against the mean 10 ms window of the second before; reported is
 * how long calls ran below half that rate. The <b>count</b> pass ({@code graft.updates}, 1000 per kind,
 * {@code graft.spacing.ms} (20) apart): every unlink must finish within the quiescence timeout
 * ({@code graft.timeout.ms}, 10 000); reported are the failures and the unlink's and hold's
 * percentiles.
 */
public final class DirectLinkUpdateHarness {
    private static final int WINDOW_MS = 10;
    private static final int AFTER_MS = 300;
    private static final int ENTRIES = 1024;

    private DirectLinkUpdateHarness() {
    }

    /** Loads {@link Fresh} in a loader of its own each time: a class the JIT has not seen, as after an update. */
    private static final class FreshLoader extends ClassLoader {
        FreshLoader() {
            super(DirectLinkUpdateHarness.class.getClassLoader());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.equals(Fresh.class.getName())) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> loaded = findLoadedClass(name);
                if (loaded != null) {
                    return loaded;
                }
                try (InputStream in = getParent().getResourceAsStream(name.replace('.', '/') + ".class")) {
                    byte[] bytes = in.readAllBytes();
                    return defineClass(name, bytes, 0, bytes.length);
                } catch (IOException e) {
                    throw new ClassNotFoundException(name, e);
                }
            }
        }
    }

    /** The implementation behind the proxy; each update serves an instance of a freshly loaded copy. */
    public static final class Fresh extends MapService {
        public Fresh(HashMap<String, String> map, int value) {
            super(map, value);
        }
    }

    static Object freshInstance(HashMap<String, String> map) throws ReflectiveOperationException {
        Class<?> type = new FreshLoader().loadClass(Fresh.class.getName());
        return type.getConstructor(HashMap.class, int.class).newInstance(map, 42);
    }

    /** One kind of link under test: its own gate, proxy and callers' counts. */
    private static final class Subject {
        final String name;
        final CallGate gate;
        final Service proxy;
        final List<Long> dipMillis = new ArrayList<>();
        final List<Long> unlinkMicros = new ArrayList<>();
        final List<Long> heldMicros = new ArrayList<>();
        int scanFailures;
        int updates;

        Subject(String name, boolean direct, HashMap<String, String> map) throws ReflectiveOperationException {
            this.name = name;
            this.gate = new CallGate("harness." + name, freshInstance(map), "0", 30_000L, direct);
            this.proxy = (Service) ProxyFactory.create(List.of(Service.class), gate);
        }
    }

    public static void main(String[] args) throws Exception {
        int callers = Integer.getInteger("graft.callers", 4);
        int dipUpdates = Integer.getInteger("graft.dip.updates", 40);
        int updates = Integer.getInteger("graft.updates", 1000);
        long spacingMillis = Long.getLong("graft.spacing.ms", 20);
        long timeoutMillis = Long.getLong("graft.timeout.ms", 10_000);
        System.out.printf(Locale.ROOT, "# DirectLinkUpdateHarness: %d callers, %d dip updates and %d counted updates per kind, %d cpus,"
                + " java %s%n", callers, dipUpdates, updates, Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        HashMap<String, String> map = new HashMap<>();
        String[] keys = new String[ENTRIES];
        for (int i = 0; i < ENTRIES; i++) {
            map.put("service.property." + i, "value-" + i);
            keys[i] = new String(("service.property." + i).toCharArray());
        }
        Subject direct = new Subject("direct", true, map);
        Subject counted = new Subject("counted", false, map);
        Subject[] subjects = {direct, counted};

        for (Subject subject : subjects) {
            Load load = new Load(subject.proxy, keys, callers);
            try {
                // warm both paths, and the update itself
                Thread.sleep(2_000);
                for (int i = 0; i < 50; i++) {
                    update(subject, map, timeoutMillis, false);
                }
            } finally {
                load.stop();
            }
        }
        for (int round = 0; round < dipUpdates; round++) {
            for (int k = 0; k < 2; k++) {
                Subject subject = subjects[(round + k) % 2];
                Load load = new Load(subject.proxy, keys, callers);
                try {
                    Thread.sleep(1_200);
                    long start = System.nanoTime();
                    update(subject, map, timeoutMillis, true);
                    Thread.sleep(AFTER_MS + 50);
                    subject.dipMillis.add(load.millisBelowHalf(start));
                } finally {
                    load.stop();
                }
            }
        }
        for (Subject subject : subjects) {
            subject.unlinkMicros.clear();
            subject.heldMicros.clear();
        }
        Load[] loads = {new Load(direct.proxy, keys, callers / 2), new Load(counted.proxy, keys, callers - callers / 2)};
        try {
            for (int i = 0; i < updates; i++) {
                for (Subject subject : subjects) {
                    update(subject, map, timeoutMillis, true);
                    Thread.sleep(spacingMillis);
                }
            }
        } finally {
            for (Load load : loads) {
                load.stop();
            }
        }
        System.out.println();
        System.out.println("| link | dip updates | time below 50% of the rate p50 / p90 / max | updates | unlink scans not finished"
                + " | unlink p50 / p99 | held p50 / p99 |");
        System.out.println("|---|---|---|---|---|---|---|");
        for (Subject subject : subjects) {
            System.out.printf(Locale.ROOT, "| %s | %d | %d / %d / %d ms | %d | %d | %s / %s | %s / %s |%n", subject.name,
                    subject.dipMillis.size(), percentile(subject.dipMillis, 50), percentile(subject.dipMillis, 90),
                    percentile(subject.dipMillis, 100), subject.updates, subject.scanFailures,
                    micros(percentile(subject.unlinkMicros, 50)), micros(percentile(subject.unlinkMicros, 99)),
                    micros(percentile(subject.heldMicros, 50)), micros(percentile(subject.heldMicros, 99)));
        }
        if (direct.scanFailures > 0) {
            System.out.println("VERDICT: FAIL: " + direct.scanFailures + " unlink scans did not finish within " + timeoutMillis + " ms");
            System.exit(1);
        }
    }

    /** The gate protocol of one update, as the update manager drives it, to an instance of a fresh class. */
    private static void update(Subject subject, HashMap<String, String> map, long timeoutMillis, boolean record) throws Exception {
        Object next = freshInstance(map);
        GateSet set = new GateSet(List.of(subject.gate));
        long start = System.nanoTime();
        boolean unlinked = set.unlink(timeoutMillis, TimeUnit.MILLISECONDS);
        long heldAt = System.nanoTime();
        if (!unlinked) {
            subject.scanFailures++;
            System.out.println("unlink did not finish: " + set.uncountedCalls());
            set.reopen();
            return;
        }
        set.hold();
        if (!set.awaitDrained(timeoutMillis, TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("calls did not drain: " + set.inFlight());
        }
        set.swap(List.of(next), List.of(Integer.toString(subject.updates + 1)));
        long released = System.nanoTime();
        subject.updates++;
        if (record) {
            subject.unlinkMicros.add(TimeUnit.NANOSECONDS.toMicros(heldAt - start));
            subject.heldMicros.add(TimeUnit.NANOSECONDS.toMicros(released - heldAt));
        }
    }

    /** Callers calling nonstop, each counting its calls on a line of its own, and a sampler reading the sum every millisecond. */
    private static final class Load {
        private static final int PAD = 16;
        private final AtomicLongArray counts;
        private final List<Thread> threads = new ArrayList<>();
        private final long[] sampleNanos = new long[600_000];
        private final long[] sampleCalls = new long[600_000];
        private volatile int samples;
        private volatile boolean stop;

        Load(Service proxy, String[] keys, int callers) {
            counts = new AtomicLongArray((callers + 1) * PAD);
            for (int c = 0; c < callers; c++) {
                int slot = (c + 1) * PAD;
                Thread caller = new Thread(() -> {
                    int next = slot;
                    long calls = 0;
                    while (!stop) {
                        if (proxy.lookup(keys[next++ & (ENTRIES - 1)]) == null) {
                            throw new IllegalStateException("lookup failed");
                        }
                        counts.setRelease(slot, ++calls);
                    }
                }, "caller-" + c);
                caller.setDaemon(true);
                threads.add(caller);
            }
            Thread sampler = new Thread(() -> {
                while (!stop && samples < sampleNanos.length) {
                    long sum = 0;
                    for (int c = 0; c < callers; c++) {
                        sum += counts.getAcquire((c + 1) * PAD);
                    }
                    int i = samples;
                    sampleNanos[i] = System.nanoTime();
                    sampleCalls[i] = sum;
                    samples = i + 1;
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
                }
            }, "sampler");
            sampler.setDaemon(true);
            threads.add(sampler);
            threads.forEach(Thread::start);
        }

        /** Calls made up to {@code nanos}, interpolated between the samples around it. */
        private long callsAt(long nanos) {
            int n = samples;
            int lo = 0;
            int hi = n - 1;
            if (n == 0 || nanos <= sampleNanos[0]) {
                return n == 0 ? 0 : sampleCalls[0];
            }
            if (nanos >= sampleNanos[hi]) {
                return sampleCalls[hi];
            }
            while (hi - lo > 1) {
                int mid = (lo + hi) >>> 1;
                if (sampleNanos[mid] <= nanos) {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            double f = (double) (nanos - sampleNanos[lo]) / (sampleNanos[hi] - sampleNanos[lo]);
            return sampleCalls[lo] + Math.round(f * (sampleCalls[hi] - sampleCalls[lo]));
        }

        /** How many ms, in 10 ms windows from {@code start}, the rate was below half the second before's. */
        long millisBelowHalf(long start) {
            long second = TimeUnit.SECONDS.toNanos(1);
            long window = TimeUnit.MILLISECONDS.toNanos(WINDOW_MS);
            double baseline = (callsAt(start) - callsAt(start - second)) / (double) (second / window);
            long below = 0;
            for (long from = start; from < start + TimeUnit.MILLISECONDS.toNanos(AFTER_MS); from += window) {
                if (callsAt(from + window) - callsAt(from) < baseline / 2) {
                    below += WINDOW_MS;
                }
            }
            return below;
        }

        void stop() throws InterruptedException {
            stop = true;
            for (Thread thread : threads) {
                thread.join();
            }
        }
    }

    private static long percentile(List<Long> values, int p) {
        if (values.isEmpty()) {
            return -1;
        }
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    private static String micros(long value) {
        return value < 1_000 ? value + " µs" : String.format(Locale.ROOT, "%.2f ms", value / 1_000.0);
    }
}
