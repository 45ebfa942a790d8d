package org.graft.container.internal.gate;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.Test;
import org.osgi.framework.ServiceException;

/**
 * The writers of a target's mode (CallGate's implementation notes): a gate has at most one holder, and
 * CLOSED, which any thread may write, is never undone by the holder's reopen or swap.
 */
public class GateHolderTest {
    private static final String SERVICE = "org.example.service";

    @Test
    public void aSecondSwitchoverOfAHeldGateIsRefusedUntilTheFirstLetsGo() {
        CallGate gate = new CallGate(SERVICE, "v1", "1", 30_000);
        GateSet first = new GateSet(List.of(gate));
        first.hold();
        CallGate other = new CallGate("org.example.other", "o1", "1", 30_000);
        GateSet second = new GateSet(List.of(other, gate));
        try {
            second.hold();
            fail("a gate held by one switchover was held by a second one");
        } catch (IllegalStateException expected) {
            assertTrue(expected.getMessage(), expected.getMessage().contains(SERVICE));
        }
        assertEquals("the refused set held none of its gates", "o1", call(other));
        first.swap(List.of("v2"), List.of("2"));
        second.hold();
        second.swap(List.of("o2", "v3"), List.of("2", "3"));
        assertEquals("v3", call(gate));
        assertEquals("o2", call(other));
    }

    @Test
    public void aGateClosedWhileHeldStaysClosedThroughTheSwapAndTheReopen() {
        CallGate swapped = new CallGate(SERVICE, "v1", "1", 30_000);
        GateSet swapping = new GateSet(List.of(swapped));
        swapping.hold();
        swapped.close();
        swapping.swap(List.of("v2"), List.of("2"));
        assertUnregistered(swapped);

        CallGate reopened = new CallGate(SERVICE, "v1", "1", 30_000);
        GateSet aborting = new GateSet(List.of(reopened));
        aborting.hold();
        reopened.close();
        aborting.reopen();
        assertUnregistered(reopened);
    }

    @Test
    public void aClosedGateCannotBeHeld() {
        CallGate gate = new CallGate(SERVICE, "v1", "1", 30_000);
        gate.close();
        try {
            new GateSet(List.of(gate)).hold();
            fail("a closed gate was held");
        } catch (IllegalStateException expected) {
            assertTrue(expected.getMessage(), expected.getMessage().contains("no longer available"));
        }
    }

    /**
     * A close racing with a switchover on another thread: whatever the interleaving, once both are done
     * every call fails. Without the closed check after a swap installs its target, rounds in which the
     * close lands between the hold and the swap leave the gate serving.
     */
    @Test
    public void aCloseRacingWithASwitchoverAlwaysWins() throws Exception {
        for (int round = 0; round < 2_000; round++) {
            CallGate gate = new CallGate(SERVICE, "v1", "1", 30_000);
            CountDownLatch start = new CountDownLatch(1);
            Thread switcher = new Thread(() -> {
                await(start);
                GateSet set = new GateSet(List.of(gate));
                try {
                    set.hold();
                } catch (IllegalStateException closedFirst) {
                    return;
                }
                set.swap(List.of("v2"), List.of("2"));
            }, "switchover");
            switcher.start();
            start.countDown();
            if (round % 2 == 0) {
                Thread.yield();
            }
            gate.close();
            switcher.join(TimeUnit.SECONDS.toMillis(10));
            assertTrue("the switchover thread finished", !switcher.isAlive());
            assertUnregistered(gate);
        }
    }

    private static Object call(CallGate gate) {
        Target target = gate.enter();
        try {
            return target.instance;
        } finally {
            target.exit();
        }
    }

    private static void assertUnregistered(CallGate gate) {
        try {
            call(gate);
            fail("a call went through a closed gate");
        } catch (ServiceException expected) {
            assertEquals(ServiceException.UNREGISTERED, expected.getType());
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
