package org.graft.benchmarks.harness;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Caller threads that call a service nonstop and time every call with {@link System#nanoTime()}. A
 * call that overlaps the window [{@link #openWindow()}, {@link #closeWindow()}] goes into the "during"
 * histogram, one that ended before the window into the "before" histogram.
 */
public final class CallerLoad {
    /** Builds the arguments of call number {@code n} of caller {@code thread}. */
    public interface Arguments {
        Object[] of(int thread, long n);
    }

    private final List<Thread> threads = new ArrayList<>();
    private final List<LatencyHistogram> before = new ArrayList<>();
    private final List<LatencyHistogram> during = new ArrayList<>();
    private final CountDownLatch warmedUp;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean stop;
    private volatile long windowStart = Long.MAX_VALUE;
    private volatile long windowEnd = Long.MAX_VALUE;

    public CallerLoad(int callers, long warmUpCalls, Object service, Method method, Arguments arguments) {
        warmedUp = new CountDownLatch(callers);
        for (int t = 0; t < callers; t++) {
            int thread = t;
            LatencyHistogram b = new LatencyHistogram();
            LatencyHistogram d = new LatencyHistogram();
            before.add(b);
            during.add(d);
            threads.add(new Thread(() -> {
                try {
                    for (long n = 0; !stop; n++) {
                        Object[] args = arguments.of(thread, n);
                        long start = System.nanoTime();
                        method.invoke(service, args);
                        long end = System.nanoTime();
                        if (end >= windowStart && start <= windowEnd) {
                            d.record(end - start);
                        } else if (end < windowStart) {
                            b.record(end - start);
                        }
                        if (n == warmUpCalls) {
                            warmedUp.countDown();
                        }
                    }
                } catch (InvocationTargetException e) {
                    failure.compareAndSet(null, e.getCause());
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                } finally {
                    warmedUp.countDown();
                }
            }, "caller-" + t));
        }
    }

    /** Starts the callers and waits (bounded) until each made its warm-up calls. */
    public void start() throws InterruptedException {
        threads.forEach(Thread::start);
        if (!warmedUp.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the callers did not warm up within 60 s");
        }
        check();
    }

    public void openWindow() {
        windowStart = System.nanoTime();
    }

    public void closeWindow() {
        windowEnd = System.nanoTime();
    }

    /** Stops the callers, joins them (bounded) and rethrows the first failure of a call. */
    public void stop() throws InterruptedException {
        stop = true;
        for (Thread thread : threads) {
            thread.join(TimeUnit.SECONDS.toMillis(60));
            if (thread.isAlive()) {
                throw new IllegalStateException(thread.getName() + " did not stop within 60 s");
            }
        }
        check();
    }

    private void check() {
        Throwable e = failure.get();
        if (e != null) {
            throw new IllegalStateException("a caller's call failed: " + e, e);
        }
    }

    /** After {@link #stop()}: the calls that ended before the window. */
    public LatencyHistogram before() {
        return merged(before);
    }

    /** After {@link #stop()}: the calls that overlapped the window. */
    public LatencyHistogram during() {
        return merged(during);
    }

    private static LatencyHistogram merged(List<LatencyHistogram> histograms) {
        LatencyHistogram all = new LatencyHistogram();
        histograms.forEach(all::add);
        return all;
    }
}
