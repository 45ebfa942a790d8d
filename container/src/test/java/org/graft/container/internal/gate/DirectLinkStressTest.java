package org.graft.container.internal.gate;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.junit.Assume.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.graft.container.internal.proxy.ProxyFactory;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.osgi.framework.ServiceException;

/**
 * Callers nonstop through directly linked proxies while an updater unlinks, holds, drains, freezes and
 * swaps over and over: the drain must stay exact although calls on the direct path are not counted.
 * Each test fails if the stack check is skipped (an uncounted call then runs on a frozen instance, or
 * its increment is lost). The build runs this class under C2 (the default), C1 only and the interpreter
 * only; {@code graft.stress.updates} scales it down for the interpreter.
 */
public class DirectLinkStressTest {
    private static final int DEFAULT_UPDATES = 300;
    private static final int UPDATES = Integer.getInteger("graft.stress.updates", DEFAULT_UPDATES);
    private static final int CALLS_PER_VERSION = 20;

    public interface Counter {
        long increment();
    }

    /** A service whose calls call another managed service: nested calls through two proxies. */
    public interface Outer {
        long incrementBoth();
    }

    /** Counts its calls; any call that starts, runs or ends on it once it is frozen is a violation. */
    static final class FreezableCounter implements Counter {
        private final AtomicLong count;
        private final AtomicLong violations;
        private volatile boolean frozen;

        FreezableCounter(long start, AtomicLong violations) {
            this.count = new AtomicLong(start);
            this.violations = violations;
        }

        @Override
        public long increment() {
            if (frozen) {
                violations.incrementAndGet();
            }
            // a little work, so that calls are in flight when an update starts
            for (int i = 0; i < 32; i++) {
                Thread.onSpinWait();
            }
            count.incrementAndGet();
            if (frozen) {
                violations.incrementAndGet();
            }
            return 1;
        }

        long freeze() {
            frozen = true;
            return count.get();
        }

        long count() {
            return count.get();
        }
    }

    static final class FreezableOuter implements Outer {
        private final FreezableCounter own;
        private final Counter inner;

        FreezableOuter(FreezableCounter own, Counter inner) {
            this.own = own;
            this.inner = inner;
        }

        @Override
        public long incrementBoth() {
            own.increment();
            inner.increment();
            own.increment();
            return 1;
        }
    }

    private final List<Thread> callers = new ArrayList<>();
    private final Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
    private final AtomicLong calls = new AtomicLong();
    private volatile boolean stop;

    @Before
    public void onlyWhereTheJvmAllowsIt() {
        assumeTrue("direct link unsupported here: " + DirectLinkSupport.unsupportedReason(),
                DirectLinkSupport.unsupportedReason().isEmpty());
    }

    @After
    public void stopCallers() throws InterruptedException {
        stop = true;
        for (Thread caller : callers) {
            caller.join(TimeUnit.SECONDS.toMillis(AsyncCall.WAIT_SECONDS));
            if (caller.isAlive()) {
                fail("caller " + caller.getName() + " did not stop: " + AsyncCall.stack(caller));
            }
        }
    }

    private void startCallers(int count, Runnable call) {
        for (int i = 0; i < count; i++) {
            Thread caller = new Thread(() -> {
                long ok = 0;
                while (!stop) {
                    try {
                        call.run();
                        ok++;
                    } catch (Throwable x) {
                        failures.add(x);
                    }
                }
                calls.addAndGet(ok);
            }, "caller-" + i);
            caller.setDaemon(true);
            callers.add(caller);
            caller.start();
        }
    }

    private long stopAndCount() throws InterruptedException {
        stopCallers();
        assertTrue("calls failed: " + failures, failures.isEmpty());
        return calls.get();
    }

    /** The whole loop's deadline: the usual wait per {@value #DEFAULT_UPDATES} updates, so that a soak asking for more gets more time. */
    private static long loopDeadline() {
        long loops = Math.max(1, (UPDATES + DEFAULT_UPDATES - 1) / DEFAULT_UPDATES);
        return System.nanoTime() + TimeUnit.SECONDS.toNanos(AsyncCall.WAIT_SECONDS) * loops;
    }

    private static CallGate directGate(String name, Object implementation) {
        return new CallGate(name, implementation, "v0", 30_000, true);
    }

    @Test
    public void callsOnTheDirectPathAreNotCountedAndAnUnlinkCountsThem() throws Exception {
        FreezableCounter only = new FreezableCounter(0, new AtomicLong());
        CallGate gate = directGate("test.Counter", only);
        Counter proxy = (Counter) ProxyFactory.create(List.of(Counter.class), gate);
        for (int i = 0; i < 1_000; i++) {
            proxy.increment();
        }
        assertEquals(1_000L, only.count());
        assertEquals("direct calls are not counted", 0L, gate.callsServed());

        GateSet set = new GateSet(List.of(gate));
        assertTrue(set.unlink(10, TimeUnit.SECONDS));
        proxy.increment();
        assertEquals("once unlinked, calls take the counted path", 1L, gate.callsServed());
        set.reopen();
        proxy.increment();
        assertEquals("relinked at the reopen", 1L, gate.callsServed());
    }

    @Test
    public void drainIsExactWithTwoCallers() throws Exception {
        assertDrainIsExact(2, true);
    }

    @Test
    public void drainIsExactWithFourCallers() throws Exception {
        assertDrainIsExact(4, true);
    }

    /** Without {@link GateSet#unlink}: the drain itself waits for the uncounted calls, with calls held. */
    @Test
    public void drainIsExactWhenTheDrainDoesTheUnlink() throws Exception {
        assertDrainIsExact(4, false);
    }

    private void assertDrainIsExact(int callerCount, boolean unlinkFirst) throws Exception {
        AtomicLong violations = new AtomicLong();
        CallGate gate = directGate("test.Counter", new FreezableCounter(0, violations));
        Counter proxy = (Counter) ProxyFactory.create(List.of(Counter.class), gate);
        startCallers(callerCount, proxy::increment);

        long deadline = loopDeadline();
        long frozenTotal = 0;
        for (int update = 1; update <= UPDATES; update++) {
            FreezableCounter current = (FreezableCounter) gate.implementation();
            long target = frozenTotal + CALLS_PER_VERSION;
            AsyncCall.awaitCondition("version " + gate.version() + " to serve calls", () -> current.count() >= target, deadline);
            GateSet set = new GateSet(List.of(gate));
            if (unlinkFirst) {
                boolean unlinked = set.unlink(AsyncCall.remaining(deadline, "update " + update), TimeUnit.NANOSECONDS);
                assertTrue("update " + update + ": uncounted calls did not end: " + set.uncountedCalls(), unlinked);
            }
            set.hold();
            boolean drained = set.awaitDrained(AsyncCall.remaining(deadline, "update " + update), TimeUnit.NANOSECONDS);
            assertTrue("update " + update + ": calls did not drain: " + set.inFlight() + set.uncountedCalls(), drained);
            frozenTotal = current.freeze();
            set.swap(List.of(new FreezableCounter(frozenTotal, violations)), List.of("v" + update));
            assertEquals("update " + update + ": a call ran on the drained version", 0L, violations.get());
        }
        long made = stopAndCount();
        FreezableCounter last = (FreezableCounter) gate.implementation();
        assertEquals("a call ran on a drained version", 0L, violations.get());
        assertEquals("increments lost across " + UPDATES + " updates", made, last.count());
        assertTrue("the direct path served most calls", gate.callsServed() < made);
        System.out.println("direct link, " + callerCount + " callers, unlink " + (unlinkFirst ? "before the hold" : "in the drain")
                + ": " + made + " calls, " + UPDATES + " updates");
    }

    /** One switchover of 100 services at once, callers spread over all of them. */
    @Test
    public void oneHundredServicesSwitchTogether() throws Exception {
        int services = 100;
        AtomicLong violations = new AtomicLong();
        List<CallGate> gates = new ArrayList<>();
        List<Counter> proxies = new ArrayList<>();
        for (int i = 0; i < services; i++) {
            CallGate gate = directGate("test.Counter" + i, new FreezableCounter(0, violations));
            gates.add(gate);
            proxies.add((Counter) ProxyFactory.create(List.of(Counter.class), gate));
        }
        startCallers(4, () -> proxies.get(ThreadLocalRandom.current().nextInt(services)).increment());

        long[] frozen = new long[services];
        int updates = Math.max(10, UPDATES / 10);
        long deadline = loopDeadline();
        for (int update = 1; update <= updates; update++) {
            long before = calls.get();
            FreezableCounter first = (FreezableCounter) gates.get(0).implementation();
            long target = frozen[0] + 5;
            AsyncCall.awaitCondition("calls between updates", () -> first.count() >= target, deadline);
            GateSet set = new GateSet(gates);
            assertTrue(set.unlink(AsyncCall.remaining(deadline, "unlink"), TimeUnit.NANOSECONDS));
            set.hold();
            assertTrue(set.awaitDrained(AsyncCall.remaining(deadline, "drain"), TimeUnit.NANOSECONDS));
            List<Object> next = new ArrayList<>();
            List<String> versions = new ArrayList<>();
            for (int i = 0; i < services; i++) {
                frozen[i] = ((FreezableCounter) gates.get(i).implementation()).freeze();
                next.add(new FreezableCounter(frozen[i], violations));
                versions.add("v" + update);
            }
            set.swap(next, versions);
            assertEquals("update " + update + " (" + before + " calls before it)", 0L, violations.get());
        }
        long made = stopAndCount();
        long counted = 0;
        for (CallGate gate : gates) {
            counted += ((FreezableCounter) gate.implementation()).count();
        }
        assertEquals(0L, violations.get());
        assertEquals("increments lost across " + updates + " updates of " + services + " services", made, counted);
    }

    /**
     * Callers call an outer service whose every call calls an inner one, both in the set: an uncounted
     * outer call still running must let its inner call pass a held inner gate, or the update deadlocks.
     */
    @Test
    public void nestedCallsThroughTwoDirectlyLinkedServicesNeitherDeadlockNorEscape() throws Exception {
        // Counted apart, so that a failure says which instance a call escaped to.
        AtomicLong violations = new AtomicLong();
        AtomicLong outerViolations = new AtomicLong();
        FreezableCounter innerFirst = new FreezableCounter(0, violations);
        CallGate innerGate = directGate("test.Inner", innerFirst);
        Counter inner = (Counter) ProxyFactory.create(List.of(Counter.class), innerGate);
        FreezableCounter outerOwnFirst = new FreezableCounter(0, outerViolations);
        CallGate outerGate = directGate("test.Outer", new FreezableOuter(outerOwnFirst, inner));
        Outer outer = (Outer) ProxyFactory.create(List.of(Outer.class), outerGate);
        startCallers(3, outer::incrementBoth);

        long deadline = loopDeadline();
        FreezableCounter innerNow = innerFirst;
        FreezableCounter outerOwnNow = outerOwnFirst;
        for (int update = 1; update <= UPDATES / 2; update++) {
            FreezableCounter innerCurrent = innerNow;
            long target = innerCurrent.count() + CALLS_PER_VERSION;
            AsyncCall.awaitCondition("calls between updates", () -> innerCurrent.count() >= target, deadline);
            GateSet set = new GateSet(List.of(outerGate, innerGate));
            // every other update leaves the wait for uncounted calls to the drain, with both gates held
            if (update % 2 == 0) {
                boolean unlinked = set.unlink(AsyncCall.remaining(deadline, "unlink"), TimeUnit.NANOSECONDS);
                assertTrue("update " + update + ": uncounted calls did not end: " + set.uncountedCalls(), unlinked);
            }
            set.hold();
            boolean drained = set.awaitDrained(AsyncCall.remaining(deadline, "drain"), TimeUnit.NANOSECONDS);
            assertTrue("update " + update + " did not drain: " + set.inFlight() + set.uncountedCalls(), drained);
            long innerCount = innerNow.freeze();
            long outerCount = outerOwnNow.freeze();
            innerNow = new FreezableCounter(innerCount, violations);
            outerOwnNow = new FreezableCounter(outerCount, outerViolations);
            set.swap(List.of(new FreezableOuter(outerOwnNow, inner), innerNow), List.of("v" + update, "v" + update));
            String where = "update " + update + (update % 2 == 0 ? " (unlinked before the hold)" : " (scanned inside the drain, gates held)");
            assertEquals(where + ": calls on a drained inner instance", 0L, violations.get());
            assertEquals(where + ": calls on a drained outer instance", 0L, outerViolations.get());
        }
        long made = stopAndCount();
        assertEquals(0L, violations.get());
        assertEquals(0L, outerViolations.get());
        assertEquals("inner increments lost", made, innerNow.count());
        assertEquals("outer increments lost", 2 * made, outerOwnNow.count());
    }

    /** A call on the direct path that does not end: the unlink gives up, names the thread, and a reopen relinks. */
    @Test
    public void anUncountedCallThatDoesNotEndFailsTheUnlinkWithNothingHeld() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Counter blocking = () -> {
            entered.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return 1;
        };
        CallGate gate = directGate("test.Blocking", blocking);
        Counter proxy = (Counter) ProxyFactory.create(List.of(Counter.class), gate);
        AsyncCall<Long> stuck = AsyncCall.start("stuck-caller", proxy::increment);
        assertTrue(entered.await(AsyncCall.WAIT_SECONDS, TimeUnit.SECONDS));

        GateSet set = new GateSet(List.of(gate));
        assertFalse("the call is still running uncounted", set.unlink(100, TimeUnit.MILLISECONDS));
        assertEquals(1, set.uncountedCalls().size());
        assertTrue(set.uncountedCalls().toString(), set.uncountedCalls().get(0).equals("thread \"stuck-caller\" in a call of test.Blocking"));
        assertFalse("nothing is held", gate.isHeld());
        AsyncCall<Long> other = AsyncCall.start("other-caller", proxy::increment);
        // the other call blocks too, but on the counted path: it is counted, not held
        AsyncCall.awaitCondition("the other call to be counted", () -> gate.callsInFlight() == 1L);
        set.reopen();
        release.countDown();
        assertEquals(Long.valueOf(1), stuck.awaitResult());
        assertEquals(Long.valueOf(1), other.awaitResult());
        long served = gate.callsServed();
        proxy.increment();
        assertEquals("relinked: the next call is uncounted again", served, gate.callsServed());
    }

    @Test
    public void aClosedGateUnlinksForGood() throws Exception {
        CallGate gate = directGate("test.Counter", new FreezableCounter(0, new AtomicLong()));
        Counter proxy = (Counter) ProxyFactory.create(List.of(Counter.class), gate);
        proxy.increment();
        gate.close();
        try {
            proxy.increment();
            fail("a call through a closed gate must fail");
        } catch (ServiceException expected) {
            assertEquals(ServiceException.UNREGISTERED, expected.getType());
        }
        // a switchover that had claimed the gate before it closed does not relink it
        GateSet set = new GateSet(List.of(gate));
        try {
            set.hold();
            fail("a closed gate cannot be held");
        } catch (IllegalStateException expected) {
            assertNotNull(expected.getMessage());
        }
        try {
            proxy.increment();
            fail("still closed after the failed hold's reopen");
        } catch (ServiceException expected) {
            assertEquals(ServiceException.UNREGISTERED, expected.getType());
        }
    }

    /**
     * The coexist strategy swaps without a drain: an uncounted call still running on the old version
     * must keep the proxies unlinked until it ends, so that the retired drain can see it.
     */
    @Test
    public void aSwapWithoutDrainWaitsForTheOldUncountedCallsBeforeRelinking() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicLong oldCalls = new AtomicLong();
        Counter slowOld = () -> {
            oldCalls.incrementAndGet();
            entered.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return 1;
        };
        CallGate gate = directGate("test.Slow", slowOld);
        Counter proxy = (Counter) ProxyFactory.create(List.of(Counter.class), gate);
        AsyncCall<Long> slow = AsyncCall.start("slow-caller", proxy::increment);
        assertTrue(entered.await(AsyncCall.WAIT_SECONDS, TimeUnit.SECONDS));

        GateSet set = new GateSet(List.of(gate));
        set.hold();
        AtomicLong newCalls = new AtomicLong();
        set.swap(List.of((Counter) newCalls::incrementAndGet), List.of("v1"));
        proxy.increment();
        assertEquals("new calls reach the new version", 1L, newCalls.get());
        assertEquals("and are counted while the old uncounted call runs", 1L, gate.callsServed());
        assertFalse("the old call still runs, uncounted", set.awaitRetiredDrained(50, TimeUnit.MILLISECONDS));
        assertEquals(1, set.uncountedCalls().size());

        release.countDown();
        assertEquals(Long.valueOf(1), slow.awaitResult());
        assertTrue(set.awaitRetiredDrained(AsyncCall.WAIT_SECONDS, TimeUnit.SECONDS));
        proxy.increment();
        assertEquals(2L, newCalls.get());
        assertEquals("relinked once the old call ended: uncounted again", 1L, gate.callsServed());
        assertEquals(1L, oldCalls.get());
    }
}
