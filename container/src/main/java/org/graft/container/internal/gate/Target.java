package org.graft.container.internal.gate;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;

/**
 * One implementation instance behind a {@link CallGate}, with the calls running on it.
 *
 * <p>Generated proxies read {@link #instance} and call {@link #exit()}; everything else is for the
 * gate and the update that drives it.
 */
public final class Target {
    static final int OPEN = 0;
    static final int HELD = 1;
    static final int RETIRED = 2;
    static final int CLOSED = 3;

    /** The implementation. Public for generated proxies, which cast it to the service interface. */
    public final Object instance;
    final String version;
    final InFlightCounter calls = new InFlightCounter();

    /**
     * OPEN: calls enter. HELD: new calls wait on {@link #release} (an update is draining or swapping).
     * RETIRED: a newer target took over; callers go to the gate's current one. CLOSED: the service is gone.
     * Written only by the thread that runs an update (one at a time), read by every caller.
     */
    volatile int mode = OPEN;
    /** Set before {@link #mode} becomes HELD, so a caller that sees HELD also sees its latch. */
    volatile CountDownLatch release;
    /** The thread waiting for this target to drain, woken by exits while the target is not OPEN. */
    volatile Thread drainWaiter;

    Target(Object instance, String version) {
        this.instance = instance;
        this.version = version;
    }

    /**
     * Ends a call that {@link CallGate#enter()} let in. Called by generated proxies, whatever the call's
     * outcome.
     */
    public void exit() {
        calls.exit();
        // Wakes a drain waiter that saw this call running. Without a fence between the count and this
        // read, an exit concurrent with the hold may read OPEN and not wake it; the waiter's first poll
        // covers that (GateSet.awaitDrained), so the fast path keeps a single locked instruction.
        if (mode != OPEN) {
            wakeDrainWaiter();
        }
    }

    void wakeDrainWaiter() {
        Thread waiter = drainWaiter;
        if (waiter != null) {
            LockSupport.unpark(waiter);
        }
    }

    void hold() {
        release = new CountDownLatch(1);
        mode = HELD;
    }

    /** Reopens after an aborted update: held callers resume here. */
    void reopen() {
        mode = OPEN;
        release.countDown();
    }

    /** Sends held and late callers to the gate's new target. */
    void retire() {
        mode = RETIRED;
        CountDownLatch latch = release;
        if (latch != null) {
            latch.countDown();
        }
    }

    void close() {
        mode = CLOSED;
        CountDownLatch latch = release;
        if (latch != null) {
            latch.countDown();
        }
        wakeDrainWaiter();
    }

    boolean isHeld() {
        return mode == HELD;
    }

    long inFlight() {
        return calls.inFlight();
    }

    long served() {
        return calls.served();
    }

    String version() {
        return version;
    }
}
