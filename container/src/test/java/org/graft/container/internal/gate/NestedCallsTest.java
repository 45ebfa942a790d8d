package org.graft.container.internal.gate;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.graft.container.internal.proxy.ProxyFactory;
import org.junit.After;
import org.junit.Test;

/**
 * A thread already inside a call through a held gate passes that gate (and the other gates of the set)
 * again, so the update's drain does not deadlock on it; any other thread is held.
 */
public class NestedCallsTest {
    private static final long HOLD_MILLIS = 30_000;

    public interface Service {
        String call(String arg);
    }

    /**
     * "outer" blocks on {@link #proceed} and then calls {@link #next} (a proxy); anything else answers
     * directly.
     */
    static final class Impl implements Service {
        final String name;
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch proceed = new CountDownLatch(1);
        final AtomicInteger calls = new AtomicInteger();
        volatile Service next;

        Impl(String name) {
            this.name = name;
        }

        @Override
        public String call(String arg) {
            calls.incrementAndGet();
            if (arg.equals("outer")) {
                entered.countDown();
                try {
                    if (!proceed.await(AsyncCall.WAIT_SECONDS, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("never told to proceed");
                    }
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return name + "(" + next.call("inner") + ")";
            }
            return name + ":" + arg;
        }
    }

    private GateSet toRelease;

    @After
    public void releaseGates() {
        if (toRelease != null) {
            toRelease.reopen();
        }
    }

    private static Service proxy(CallGate gate) {
        return (Service) ProxyFactory.create(List.of(Service.class), gate);
    }

    private static void awaitLatch(CountDownLatch latch, String what) throws InterruptedException {
        if (!latch.await(AsyncCall.WAIT_SECONDS, TimeUnit.SECONDS)) {
            fail("timed out waiting for " + what);
        }
    }

    @Test
    public void reentrantCallThroughHeldGatePassesAndDrainCompletes() throws Exception {
        Impl a = new Impl("A");
        CallGate gateA = new CallGate("test.A", a, "1", HOLD_MILLIS);
        Service proxyA = proxy(gateA);
        a.next = proxyA;

        AsyncCall<String> outer = AsyncCall.start("outer", () -> proxyA.call("outer"));
        awaitLatch(a.entered, "the outer call to start");
        GateSet set = new GateSet(List.of(gateA));
        set.hold();
        toRelease = set;
        assertTrue(gateA.isHeld());
        assertFalse("the drain must wait for the running outer call", set.awaitDrained(20, TimeUnit.MILLISECONDS));

        a.proceed.countDown();
        assertEquals("A(A:inner)", outer.awaitResult());
        assertTrue(set.awaitDrained(AsyncCall.WAIT_SECONDS, TimeUnit.SECONDS));
        assertEquals(2, a.calls.get());
    }

    @Test
    public void callNestedAcrossTwoGatesHeldInOneSetPasses() throws Exception {
        Impl a = new Impl("A");
        Impl b = new Impl("B");
        CallGate gateA = new CallGate("test.A", a, "1", HOLD_MILLIS);
        CallGate gateB = new CallGate("test.B", b, "1", HOLD_MILLIS);
        Service proxyA = proxy(gateA);
        Service proxyB = proxy(gateB);
        a.next = proxyB;

        AsyncCall<String> outer = AsyncCall.start("outer", () -> proxyA.call("outer"));
        awaitLatch(a.entered, "the outer call to start");
        GateSet set = new GateSet(List.of(gateA, gateB));
        set.hold();
        toRelease = set;
        assertFalse(set.awaitDrained(20, TimeUnit.MILLISECONDS));

        a.proceed.countDown();
        assertEquals("A(B:inner)", outer.awaitResult());
        assertTrue(set.awaitDrained(AsyncCall.WAIT_SECONDS, TimeUnit.SECONDS));
        assertEquals(1, b.calls.get());

        // the set still swaps both, and new calls reach the new versions
        Impl a2 = new Impl("A2");
        Impl b2 = new Impl("B2");
        set.swap(List.of(a2, b2), List.of("2", "2"));
        toRelease = null;
        assertEquals("A2:x", proxyA.call("x"));
        assertEquals("B2:y", proxyB.call("y"));
    }

    @Test
    public void callerOutsideAnyHeldCallIsHeldUntilSwap() throws Exception {
        Impl a = new Impl("A");
        CallGate gateA = new CallGate("test.A", a, "1", HOLD_MILLIS);
        Service proxyA = proxy(gateA);
        GateSet set = new GateSet(List.of(gateA));
        set.hold();
        toRelease = set;

        AsyncCall<String> call = AsyncCall.start("plain caller", () -> proxyA.call("x"));
        call.awaitHeldAtGate();
        assertFalse(call.isDone());
        assertEquals("a held call reached the implementation", 0, a.calls.get());
        assertTrue("a held caller must not delay the drain", set.awaitDrained(AsyncCall.WAIT_SECONDS, TimeUnit.SECONDS));

        Impl a2 = new Impl("A2");
        set.swap(List.of(a2), List.of("2"));
        toRelease = null;
        assertEquals("A2:x", call.awaitResult());
        assertEquals(0, a.calls.get());
    }

    @Test
    public void callerOutsideAnyHeldCallIsHeldUntilReopenThenServedByOld() throws Exception {
        Impl a = new Impl("A");
        CallGate gateA = new CallGate("test.A", a, "1", HOLD_MILLIS);
        Service proxyA = proxy(gateA);
        GateSet set = new GateSet(List.of(gateA));
        set.hold();
        toRelease = set;

        AsyncCall<String> call = AsyncCall.start("plain caller", () -> proxyA.call("x"));
        call.awaitHeldAtGate();
        assertFalse(call.isDone());
        assertEquals(0, a.calls.get());

        set.reopen();
        toRelease = null;
        assertEquals("A:x", call.awaitResult());
        assertEquals(1, a.calls.get());
    }

    /** Inside a call through a gate that is NOT held, a call to a held gate is held like any other. */
    @Test
    public void callNestedInCallThroughNonHeldGateIsHeld() throws Exception {
        Impl c = new Impl("C");
        Impl a = new Impl("A");
        CallGate gateC = new CallGate("test.C", c, "1", HOLD_MILLIS);
        CallGate gateA = new CallGate("test.A", a, "1", HOLD_MILLIS);
        Service proxyC = proxy(gateC);
        Service proxyA = proxy(gateA);
        c.next = proxyA;

        AsyncCall<String> outer = AsyncCall.start("outer", () -> proxyC.call("outer"));
        awaitLatch(c.entered, "the outer call to start");
        GateSet set = new GateSet(List.of(gateA));
        set.hold();
        toRelease = set;
        c.proceed.countDown();
        outer.awaitHeldAtGate();
        assertEquals(0, a.calls.get());
        assertTrue("a caller held at A does not delay A's drain", set.awaitDrained(AsyncCall.WAIT_SECONDS, TimeUnit.SECONDS));

        set.swap(List.of(new Impl("A2")), List.of("2"));
        toRelease = null;
        assertEquals("C(A2:inner)", outer.awaitResult());
        assertEquals(0, a.calls.get());
    }
}
