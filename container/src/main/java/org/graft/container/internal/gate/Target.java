package org.graft.container.internal.gate;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;

/**
 * One implementation instance behind a {@link CallGate}, with the calls running on it and its mode.
 * The modes, their transitions and which thread writes each are in {@link CallGate}'s implementation
 * notes.
 *
 * <p>Generated proxies read {@link #instance} and call {@link #exit()}; everything else is for the
 * gate and the switchover that drives it.
 */
public final class Target {
    static final int OPEN = 0;
    static final int HELD = 1;
    static final int RETIRED = 2;
    static final int CLOSED = 3;

    private static final VarHandle MODE;

    static {
        try {
            MODE = MethodHandles.lookup().findVarHandle(Target.class, "mode", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The implementation. Public for generated proxies, which cast it to the service interface. */
    public final Object instance;
    final String version;
    final InFlightCounter calls = new InFlightCounter();

    /** OPEN, HELD, RETIRED or CLOSED: see {@link CallGate}. Read by every call. */
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
     * outcome. The mode read may miss a hold that races with it (see {@link CallGate}: exit has no fence).
     */
    public void exit() {
        calls.exit();
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

    /** OPEN to HELD, by the gate's holder; false if the target was closed (the service is gone). */
    boolean hold() {
        release = new CountDownLatch(1);
        return MODE.compareAndSet(this, OPEN, HELD);
    }

    /** HELD to OPEN after an aborted switchover, by the holder: held callers resume here. A closed target stays closed. */
    void reopen() {
        MODE.compareAndSet(this, HELD, OPEN);
        release.countDown();
    }

    /** HELD to RETIRED, by the holder: held and late callers go to the gate's new target. A closed target stays closed. */
    void retire() {
        MODE.compareAndSet(this, HELD, RETIRED);
        CountDownLatch latch = release;
        if (latch != null) {
            latch.countDown();
        }
    }

    /** To CLOSED from any mode, by any thread: terminal. Held callers wake and fail; further calls fail. */
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

    boolean isClosed() {
        return mode == CLOSED;
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
