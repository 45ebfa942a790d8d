package org.graft.demo.load.internal;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.graft.sample.api.CounterService;

/**
 * An in-test CounterService: exact counts, and the behaviours a load meets in real life, each
 * switched on by a test: calls that fail, and a call that blocks until released.
 */
final class FakeCounter implements CounterService {
    private final ConcurrentHashMap<String, AtomicLong> counts = new ConcurrentHashMap<>();
    private final AtomicLong operations = new AtomicLong();
    private final AtomicLong attempts = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();

    // Counted down once per key when that key reaches reachValue.
    private volatile long reachValue = Long.MAX_VALUE;
    private volatile CountDownLatch reached = new CountDownLatch(0);
    // Every failEvery-th call (over all keys) throws before incrementing; 0: none.
    private volatile long failEvery;
    private final CountDownLatch refusals = new CountDownLatch(50);
    // The call of blockKey that finds its counter at blockAt waits for release.
    private volatile String blockKey;
    private volatile long blockAt;
    final CountDownLatch blocked = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    /** Arms a latch that opens once each of {@code keys} counters reached {@code value}. */
    CountDownLatch whenEachReaches(int keys, long value) {
        reached = new CountDownLatch(keys);
        reachValue = value;
        return reached;
    }

    void failEvery(long calls) {
        failEvery = calls;
    }

    /** Opens once 50 calls were refused. */
    boolean awaitRefusals() throws InterruptedException {
        return refusals.await(10, TimeUnit.SECONDS);
    }

    void blockAt(String key, long value) {
        blockKey = key;
        blockAt = value;
    }

    long attempts() {
        return attempts.get();
    }

    long refused() {
        return refused.get();
    }

    @Override
    public long increment(String key) {
        long attempt = attempts.incrementAndGet();
        long every = failEvery;
        if (every != 0 && attempt % every == 0) {
            refused.incrementAndGet();
            refusals.countDown();
            throw new IllegalStateException("refused call " + attempt);
        }
        AtomicLong count = counts.computeIfAbsent(key, k -> new AtomicLong());
        if (key.equals(blockKey) && count.get() == blockAt) {
            blocked.countDown();
            try {
                if (!release.await(10, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the test never released " + key);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while blocked", e);
            }
        }
        long value = count.incrementAndGet();
        operations.incrementAndGet();
        if (value == reachValue) {
            reached.countDown();
        }
        return value;
    }

    @Override
    public long get(String key) {
        AtomicLong count = counts.get(key);
        return count == null ? 0L : count.get();
    }

    @Override
    public long operations() {
        return operations.get();
    }

    @Override
    public String version() {
        return "fake";
    }
}
