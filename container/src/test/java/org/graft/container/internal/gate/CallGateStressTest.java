package org.graft.container.internal.gate;

import static org.graft.container.internal.gate.AsyncCall.awaitCondition;
import static org.graft.container.internal.gate.AsyncCall.awaitHeldAtGate;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;

import org.graft.container.internal.proxy.ProxyFactory;
import org.junit.After;
import org.junit.Test;

/**
 * Many callers through a real generated proxy while an updater holds, drains, freezes and swaps over
 * and over: the drain must be exact (no call runs on an instance once it is frozen) and no call may be
 * lost or fail.
 */
public class CallGateStressTest {
    private static final int CALLERS = 8;
    private static final int UPDATES = 200;
    /** Calls each version must serve before the next update, so that updates interleave with calls. */
    private static final int CALLS_PER_VERSION = 20;

    public interface Counter {
        long increment();

        /** Increments, then (depth > 0) calls itself again through the proxy: re-entrant calls. */
        long incrementNested(int depth);
    }

    /** Counts its calls; once frozen, any call that runs (or is still running) on it is a violation. */
    static final class FreezableCounter implements Counter {
        private final AtomicLong count;
        private final AtomicLong violations;
        private volatile boolean frozen;
        /** The proxy, for re-entrant calls. */
        volatile Counter self;

        FreezableCounter(long start, AtomicLong violations) {
            this.count = new AtomicLong(start);
            this.violations = violations;
        }

        @Override
        public long increment() {
            if (frozen) {
                violations.incrementAndGet();
            }
            long value = count.incrementAndGet();
            // a few instructions of "work" so that calls are in flight for a while
            for (int i = 0; i < 32; i++) {
                Thread.onSpinWait();
            }
            if (frozen) {
                violations.incrementAndGet();
            }
            return value;
        }

        @Override
        public long incrementNested(int depth) {
            if (frozen) {
                violations.incrementAndGet();
            }
            long value = increment();
            if (depth > 0) {
                self.incrementNested(depth - 1);
            }
            if (frozen) {
                violations.incrementAndGet();
            }
            return value;
        }

        long freeze() {
            frozen = true;
            return count.get();
        }

        long count() {
            return count.get();
        }
    }

    /** Callers calling nonstop, each summing what its successful calls return (e.g. increments made). */
    private static final class Callers {
        final List<Thread> threads = new ArrayList<>();
        final AtomicLongArray successes;
        final Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
        volatile boolean stop;

        Callers(LongSupplier... perCall) {
            this(CALLERS, perCall);
        }

        Callers(int count, LongSupplier... perCall) {
            successes = new AtomicLongArray(count);
            for (int i = 0; i < count; i++) {
                int index = i;
                LongSupplier call = perCall[i % perCall.length];
                Thread t = new Thread(() -> {
                    long ok = 0;
                    while (!stop) {
                        try {
                            ok += call.getAsLong();
                        } catch (Throwable x) {
                            failures.add(x);
                        }
                    }
                    successes.set(index, ok);
                }, "caller-" + i);
                t.setDaemon(true);
                threads.add(t);
            }
        }

        void start() {
            threads.forEach(Thread::start);
        }

        long stopAndSum() throws InterruptedException {
            stop = true;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(AsyncCall.WAIT_SECONDS);
            for (Thread t : threads) {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
                if (t.isAlive()) {
                    fail("caller " + t.getName() + " did not stop: " + AsyncCall.stack(t));
                }
            }
            long sum = 0;
            for (int i = 0; i < successes.length(); i++) {
                sum += successes.get(i);
            }
            return sum;
        }
    }

    private Callers callers;

    @After
    public void stopCallers() {
        if (callers != null) {
            callers.stop = true;
        }
    }

    @Test
    public void drainIsExactUnderConcurrentCallers() throws Exception {
        assertDrainIsExact(CALLERS, UPDATES);
    }

    /**
     * More callers than the counter has stripes: some threads count on a stripe another thread owns
     * (the shared, atomic pair), the others on their own (fence-free exit); the drain must be exact
     * for both kinds at once.
     */
    @Test
    public void drainIsExactWithMoreCallersThanStripes() throws Exception {
        assertDrainIsExact(2 * InFlightCounter.stripeCount() + 1, UPDATES / 2);
    }

    private void assertDrainIsExact(int callerCount, int updates) throws Exception {
        AtomicLong violations = new AtomicLong();
        FreezableCounter first = new FreezableCounter(0, violations);
        CallGate gate = new CallGate("test.Counter", first, "v0", 30_000);
        Counter proxy = (Counter) ProxyFactory.create(List.of(Counter.class), gate);
        callers = new Callers(callerCount, () -> {
            proxy.increment();
            return 1;
        });
        callers.start();

        List<FreezableCounter> frozen = new ArrayList<>();
        List<Long> frozenCounts = new ArrayList<>();
        int drainsThatWaited = 0;
        long deadline = AsyncCall.deadline();
        for (int update = 1; update <= updates; update++) {
            FreezableCounter current = (FreezableCounter) gate.implementation();
            long target = frozenCounts.isEmpty() ? CALLS_PER_VERSION : frozenCounts.get(frozenCounts.size() - 1) + CALLS_PER_VERSION;
            awaitCondition("version " + gate.version() + " to serve calls", () -> current.count() >= target, deadline);

            GateSet set = new GateSet(List.of(gate));
            set.hold();
            if (set.inFlight().get("test.Counter") > 0) {
                drainsThatWaited++;
            }
            assertTrue("update " + update + ": calls did not drain: " + set.inFlight(),
                    set.awaitDrained(AsyncCall.remaining(deadline, "update " + update), TimeUnit.NANOSECONDS));
            FreezableCounter old = (FreezableCounter) gate.implementation();
            assertSame(current, old);
            long count = old.freeze();
            frozen.add(old);
            frozenCounts.add(count);
            set.swap(List.of(new FreezableCounter(count, violations)), List.of("v" + update));
            assertEquals(0L, violations.get());
        }
        long successful = callers.stopAndSum();

        assertTrue("calls failed: " + callers.failures, callers.failures.isEmpty());
        assertEquals("calls ran on a frozen (drained) instance", 0L, violations.get());
        for (int i = 0; i < frozen.size(); i++) {
            assertEquals("instance of v" + i + " changed after it was drained and frozen",
                    (long) frozenCounts.get(i), frozen.get(i).count());
        }
        FreezableCounter last = (FreezableCounter) gate.implementation();
        assertEquals("increments lost (or counted twice) across " + updates + " updates", successful, last.count());
        assertEquals("v" + updates, gate.version());
        assertEquals(0L, gate.callsInFlight());
        assertTrue(successful >= (long) updates * CALLS_PER_VERSION);
        System.out.println("drain with " + callerCount + " callers: " + successful + " calls, " + drainsThatWaited + "/" + updates
                + " holds found calls in flight");
    }

    @Test
    public void reopenAfterHoldSendsHeldCallersBackToTheOldTarget() throws Exception {
        AtomicLong violations = new AtomicLong();
        FreezableCounter only = new FreezableCounter(0, violations);
        CallGate gate = new CallGate("test.Counter", only, "1.0.0", 30_000);
        Counter proxy = (Counter) ProxyFactory.create(List.of(Counter.class), gate);
        callers = new Callers(() -> {
            proxy.increment();
            return 1;
        });
        callers.start();

        long deadline = AsyncCall.deadline();
        for (int round = 0; round < 20; round++) {
            long before = only.count();
            awaitCondition("calls to go on", () -> only.count() >= before + CALLS_PER_VERSION, deadline);
            GateSet set = new GateSet(List.of(gate));
            set.hold();
            assertTrue("round " + round + ": calls did not drain: " + set.inFlight(),
                    set.awaitDrained(AsyncCall.remaining(deadline, "round " + round), TimeUnit.NANOSECONDS));
            long drained = only.count();
            for (Thread t : callers.threads) {
                awaitHeldAtGate(t);
            }
            // (not callsInFlight() == 0 here: a caller released by the previous round's reopen may still
            // show as parked and then bounce off this hold, counting in and out transiently)
            assertEquals("a call ran while every caller was held", drained, only.count());

            set.reopen();
            awaitCondition("held callers to resume on the old target", () -> only.count() > drained, deadline);
            assertSame(only, gate.implementation());
            assertEquals("1.0.0", gate.version());
        }
        long successful = callers.stopAndSum();

        assertTrue("calls failed: " + callers.failures, callers.failures.isEmpty());
        assertEquals(0L, violations.get());
        assertEquals("calls lost across hold/reopen", successful, only.count());
        assertEquals(successful, gate.callsServed());
    }

    /**
     * Re-entrant calls (through the proxy, from inside a call) pass a held gate so the drain can finish;
     * the drain must still be exact: once it returns, neither outer nor nested calls run on the instance.
     */
    @Test
    public void drainIsExactWithReentrantCallers() throws Exception {
        AtomicLong violations = new AtomicLong();
        FreezableCounter first = new FreezableCounter(0, violations);
        CallGate gate = new CallGate("test.Counter", first, "v0", 30_000);
        Counter proxy = (Counter) ProxyFactory.create(List.of(Counter.class), gate);
        first.self = proxy;
        callers = new Callers(() -> {
            proxy.incrementNested(2);
            return 3;
        }, () -> {
            proxy.increment();
            return 1;
        });
        callers.start();

        List<FreezableCounter> frozen = new ArrayList<>();
        List<Long> frozenCounts = new ArrayList<>();
        int updates = UPDATES / 2;
        long deadline = AsyncCall.deadline();
        for (int update = 1; update <= updates; update++) {
            FreezableCounter current = (FreezableCounter) gate.implementation();
            long target = (frozenCounts.isEmpty() ? 0 : frozenCounts.get(frozenCounts.size() - 1)) + CALLS_PER_VERSION;
            awaitCondition("version " + gate.version() + " to serve calls", () -> current.count() >= target, deadline);

            GateSet set = new GateSet(List.of(gate));
            set.hold();
            assertTrue("update " + update + ": calls did not drain: " + set.inFlight(),
                    set.awaitDrained(AsyncCall.remaining(deadline, "update " + update), TimeUnit.NANOSECONDS));
            long count = current.freeze();
            frozen.add(current);
            frozenCounts.add(count);
            FreezableCounter next = new FreezableCounter(count, violations);
            next.self = proxy;
            set.swap(List.of(next), List.of("v" + update));
        }
        long successful = callers.stopAndSum();

        assertTrue("calls failed: " + callers.failures, callers.failures.isEmpty());
        assertEquals("calls ran on a frozen (drained) instance", 0L, violations.get());
        for (int i = 0; i < frozen.size(); i++) {
            assertEquals("instance of v" + i + " changed after it was drained and frozen",
                    (long) frozenCounts.get(i), frozen.get(i).count());
        }
        assertEquals("increments lost", successful, ((FreezableCounter) gate.implementation()).count());
        assertEquals(0L, gate.callsInFlight());
    }

    public interface Versioned {
        int version();
    }

    static final class FixedVersion implements Versioned {
        private final int version;

        FixedVersion(int version) {
            this.version = version;
        }

        @Override
        public int version() {
            return version;
        }
    }

    /** GateSet's atomicity: a caller that reached A's new version never reaches B's old one afterwards. */
    @Test
    public void callerNeverSeesNewVersionThenOldAcrossGatesOfOneSet() throws Exception {
        CallGate gateA = new CallGate("test.A", new FixedVersion(0), "0", 30_000);
        CallGate gateB = new CallGate("test.B", new FixedVersion(0), "0", 30_000);
        Versioned a = (Versioned) ProxyFactory.create(List.of(Versioned.class), gateA);
        Versioned b = (Versioned) ProxyFactory.create(List.of(Versioned.class), gateB);
        AtomicLong pairs = new AtomicLong();
        Queue<String> mixed = new ConcurrentLinkedQueue<>();
        callers = new Callers(() -> {
            int va = a.version();
            int vb = b.version();
            if (vb < va) {
                mixed.add("A v" + va + " then B v" + vb);
            }
            pairs.incrementAndGet();
            return 1;
        }, () -> {
            // the other order too: B new then A old is just as wrong
            int vb = b.version();
            int va = a.version();
            if (va < vb) {
                mixed.add("B v" + vb + " then A v" + va);
            }
            pairs.incrementAndGet();
            return 1;
        });
        callers.start();

        long deadline = AsyncCall.deadline();
        for (int update = 1; update <= UPDATES; update++) {
            long seen = pairs.get();
            awaitCondition("callers to make progress", () -> pairs.get() >= seen + CALLS_PER_VERSION, deadline);
            GateSet set = new GateSet(List.of(gateA, gateB));
            set.hold();
            assertTrue("update " + update + ": calls did not drain: " + set.inFlight(),
                    set.awaitDrained(AsyncCall.remaining(deadline, "update " + update), TimeUnit.NANOSECONDS));
            set.swap(List.of(new FixedVersion(update), new FixedVersion(update)), List.of("" + update, "" + update));
        }
        callers.stopAndSum();

        assertTrue("calls failed: " + callers.failures, callers.failures.isEmpty());
        assertTrue("callers saw a new version and then an old one of the same set: " + mixed, mixed.isEmpty());
        assertEquals(0L, gateA.callsInFlight() + gateB.callsInFlight());
    }
}
