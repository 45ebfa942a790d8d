package org.graft.container.internal.gate;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.graft.container.internal.proxy.ProxyFactory;
import org.junit.Test;
import org.osgi.framework.ServiceException;

/** A held call waits at most the gate's bound, then fails naming the service; interrupts do not cancel it. */
public class HeldCallBoundTest {
    private static final String SERVICE = "org.example.ClockService";

    public interface Clock {
        String now();
    }

    static final class CountingClock implements Clock {
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public String now() {
            return "tick" + calls.incrementAndGet();
        }
    }

    @Test
    public void callHeldBeyondMaxHoldFailsWithServiceExceptionNamingTheService() throws Exception {
        CountingClock impl = new CountingClock();
        CallGate gate = new CallGate(SERVICE, impl, "1.0.0", 200);
        Clock proxy = (Clock) ProxyFactory.create(List.of(Clock.class), gate);
        GateSet set = new GateSet(List.of(gate));
        set.hold(); // never released while the call waits

        long start = System.nanoTime();
        AsyncCall<String> call = AsyncCall.start("held caller", proxy::now);
        Throwable failure = call.awaitFailure();
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertTrue("expected a ServiceException, got " + failure, failure instanceof ServiceException);
        assertTrue(failure.getMessage(), failure.getMessage().contains(SERVICE));
        assertTrue(failure.getMessage(), failure.getMessage().contains("200 ms"));
        assertEquals(ServiceException.UNSPECIFIED, ((ServiceException) failure).getType());
        assertTrue("gave up after " + elapsedMillis + " ms, before the 200 ms bound", elapsedMillis >= 200);
        assertEquals("the held call reached the implementation", 0, impl.calls.get());
        // the abandoned call took its count back: the drain is not blocked by it
        assertTrue(set.awaitDrained(0, TimeUnit.MILLISECONDS));
        assertEquals(0L, gate.callsInFlight());

        set.reopen();
        assertEquals("tick1", proxy.now());
    }

    @Test
    public void interruptDoesNotCancelHeldCallAndIsRestoredAfterwards() throws Exception {
        CountingClock impl = new CountingClock();
        CallGate gate = new CallGate(SERVICE, impl, "1.0.0", 30_000);
        Clock proxy = (Clock) ProxyFactory.create(List.of(Clock.class), gate);
        GateSet set = new GateSet(List.of(gate));
        set.hold();

        AsyncCall<String> call = AsyncCall.start("held caller",
                () -> proxy.now() + " interrupted=" + Thread.currentThread().isInterrupted());
        call.awaitHeldAtGate();
        Thread t = call.thread();
        t.interrupt();
        // the gate consumed the interrupt (flag cleared by the latch) and waits again
        AsyncCall.awaitCondition("the held caller to wait again after the interrupt",
                () -> !t.isInterrupted() && AsyncCall.isHeldAtGate(t));
        assertFalse(call.isDone());
        assertEquals(0, impl.calls.get());

        set.reopen();
        assertEquals("tick1 interrupted=true", call.awaitResult());
    }

    @Test
    public void interruptedCallHeldBeyondMaxHoldFailsWithInterruptRestored() throws Exception {
        CallGate gate = new CallGate(SERVICE, new CountingClock(), "1.0.0", 200);
        Clock proxy = (Clock) ProxyFactory.create(List.of(Clock.class), gate);
        GateSet set = new GateSet(List.of(gate));
        set.hold();

        AsyncCall<Boolean> call = AsyncCall.start("held caller", () -> {
            try {
                proxy.now();
                return null;
            } catch (ServiceException e) {
                return Thread.currentThread().isInterrupted();
            }
        });
        call.awaitHeldAtGate();
        call.thread().interrupt();
        assertEquals(Boolean.TRUE, call.awaitResult());
        set.reopen();
    }

    @Test
    public void closeFailsHeldAndLaterCallsAsUnregistered() throws Exception {
        CountingClock impl = new CountingClock();
        CallGate gate = new CallGate(SERVICE, impl, "1.0.0", 30_000);
        Clock proxy = (Clock) ProxyFactory.create(List.of(Clock.class), gate);
        GateSet set = new GateSet(List.of(gate));
        set.hold();
        AsyncCall<String> held = AsyncCall.start("held caller", proxy::now);
        held.awaitHeldAtGate();

        gate.close();
        Throwable failure = held.awaitFailure();
        assertTrue("expected a ServiceException, got " + failure, failure instanceof ServiceException);
        assertEquals(ServiceException.UNREGISTERED, ((ServiceException) failure).getType());
        assertTrue(failure.getMessage(), failure.getMessage().contains(SERVICE));

        try {
            proxy.now();
            throw new AssertionError("a call to a closed gate returned");
        } catch (ServiceException e) {
            assertEquals(ServiceException.UNREGISTERED, e.getType());
        }
        assertEquals(0, impl.calls.get());
        assertEquals(0L, gate.callsInFlight());
    }
}
