package org.graft.itest;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Threads that call a service nonstop until stopped, counting each thread's successful calls and
 * keeping every failure.
 */
final class Callers implements AutoCloseable {
    /** One call of thread {@code index}; returns normally on success. */
    interface Call {
        void run(int index) throws Exception;
    }

    private final List<Thread> threads = new ArrayList<>();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicLongArray successes;
    private final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
    private final CountDownLatch warmedUp;

    Callers(int count, String name, Call call) {
        successes = new AtomicLongArray(count);
        warmedUp = new CountDownLatch(count);
        for (int i = 0; i < count; i++) {
            int index = i;
            Thread thread = new Thread(() -> {
                long calls = 0;
                while (!stop.get()) {
                    try {
                        call.run(index);
                        successes.incrementAndGet(index);
                    } catch (Throwable t) {
                        failures.add(t);
                    }
                    if (++calls == 100) {
                        warmedUp.countDown();
                    }
                }
                if (calls < 100) {
                    warmedUp.countDown();
                }
            }, name + "-" + i);
            threads.add(thread);
        }
    }

    Callers start() throws InterruptedException {
        threads.forEach(Thread::start);
        if (!warmedUp.await(GraftTestSupport.WAIT_SECONDS, TimeUnit.SECONDS)) {
            throw new AssertionError("callers did not get going");
        }
        return this;
    }

    long successes(int index) {
        return successes.get(index);
    }

    long totalSuccesses() {
        long total = 0;
        for (int i = 0; i < successes.length(); i++) {
            total += successes.get(i);
        }
        return total;
    }

    List<Throwable> failures() {
        return new ArrayList<>(failures);
    }

    /** Stops and joins the threads. */
    @Override
    public void close() throws InterruptedException {
        stop.set(true);
        for (Thread thread : threads) {
            thread.join(TimeUnit.SECONDS.toMillis(GraftTestSupport.WAIT_SECONDS));
            if (thread.isAlive()) {
                throw new AssertionError(thread.getName() + " did not stop");
            }
        }
    }
}
