package org.graft.container.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.graft.container.internal.gate.CallGate;
import org.junit.Test;
import org.osgi.framework.Version;

/**
 * A held restart ends exactly once: either its successor takes it over or its wait runs out, never
 * both and never neither, however closely the two race. Each round holds a gate with a wait of 0-1 ms
 * and lets a successor try to take it at the same moment; the test counts who ended each hold, and
 * that a call held meanwhile is released exactly by the winner (to the successor's instance, or by a
 * close that fails it).
 */
public class RestartHoldsStressTest {
    private static final int ROUNDS = 2_000;
    private static final long BUNDLE = 42L;

    public interface Echo {
        String echo();
    }

    @Test
    public void successorAndTimeoutNeverBothEndAHold() throws Exception {
        int taken = 0;
        AtomicInteger expired = new AtomicInteger();
        try (RestartHolds holds = new RestartHolds()) {
            for (int round = 0; round < ROUNDS; round++) {
                String identity = "service-" + round;
                CallGate gate = new CallGate(identity, (Echo) () -> "old", "1.0.0", 10_000);
                ManagedServiceEntry entry = new ManagedServiceEntry(identity, List.of(Echo.class.getName()), List.of(Echo.class),
                        gate, null, null);
                CountDownLatch ended = new CountDownLatch(1);
                AtomicReference<RestartHolds.Held> byTimeout = new AtomicReference<>();
                holds.hold(entry, BUNDLE, Version.parseVersion("1.0.0"), round % 2, held -> {
                    byTimeout.set(held);
                    expired.incrementAndGet();
                    held.entry().gate().close();
                    ended.countDown();
                });
                CyclicBarrier start = new CyclicBarrier(2);
                AtomicReference<RestartHolds.Held> bySuccessor = new AtomicReference<>();
                Thread successor = new Thread(() -> {
                    await(start);
                    RestartHolds.Held held = holds.take(identity, BUNDLE);
                    if (held != null) {
                        bySuccessor.set(held);
                        held.gates().swap(List.of((Echo) () -> "new"), List.of("2.0.0"));
                        ended.countDown();
                    }
                });
                successor.start();
                await(start);
                successor.join();
                assertTrue("round " + round + ": nobody ended the hold", ended.await(10, TimeUnit.SECONDS));
                assertEquals("round " + round + ": a second taker", null, holds.take(identity, BUNDLE));
                boolean successorWon = bySuccessor.get() != null;
                assertTrue("round " + round + ": both the successor and the timeout ended the hold",
                        !(successorWon && byTimeout.get() != null));
                if (successorWon) {
                    taken++;
                }
                assertTrue("round " + round + ": the hold is gone", !holds.isHeld(identity));
            }
        }
        assertEquals("every round ended once", ROUNDS, taken + expired.get());
        System.out.println("restart holds: " + taken + " taken by their successor, " + expired.get() + " expired");
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("the racers did not meet", e);
        }
    }
}
