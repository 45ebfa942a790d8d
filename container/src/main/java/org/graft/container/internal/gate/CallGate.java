package org.graft.container.internal.gate;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.ServiceException;

/**
 * The indirection between a managed service's proxy and its current implementation: counts the calls
 * in flight and can hold new ones while an update drains and swaps.
 *
 * <p><b>Fast path</b> (no lock, no allocation): read the current target, count the call in on the
 * thread's stripe (a volatile store, or an atomic increment if another thread owns the stripe: either
 * is a full fence; see {@link InFlightCounter}), read the target's mode; if it is OPEN the call runs. <b>Why the drain is exact</b>: an update writes mode = HELD (volatile) and then
 * reads the counts. A caller writes its count and then reads the mode. In the total order of these
 * synchronizing actions one of the two comes first, so either the caller sees HELD and backs out, or
 * the update's read sees the caller's count. Hence once new calls are held, a zero count means no call
 * runs on the target, and none can start except a nested call of a thread that is itself counted on a
 * held target (see {@link NestedCalls}), which a drain of the whole update's set also waits for.
 *
 * <p><b>Slow path</b>: a held caller backs out its count, wakes the drain waiter (its transient count
 * may have been the non-zero the waiter saw), and waits, bounded, for the update to release it; then it
 * retries on whatever target is current: the new one after a swap, the old one after an abort.
 */
public final class CallGate {
    private final String serviceName;
    private final long maxHoldNanos;
    /** The target new calls go to. Replaced only by {@link GateSet#swap}, while the old one is held. */
    private volatile Target current;

    public CallGate(String serviceName, Object implementation, String version, long maxHoldMillis) {
        this.serviceName = serviceName;
        this.maxHoldNanos = TimeUnit.MILLISECONDS.toNanos(maxHoldMillis);
        this.current = new Target(implementation, version);
    }

    /** Starts a call. Every call that returns normally must be ended with {@link Target#exit()}. */
    public Target enter() {
        Target target = current;
        target.calls.enter();
        if (target.mode == Target.OPEN) {
            return target;
        }
        return enterSlow(target);
    }

    private Target enterSlow(Target target) {
        long deadline = 0L;
        boolean interrupted = false;
        try {
            for (;;) {
                int mode = target.mode;
                if (mode == Target.OPEN || (mode == Target.HELD && NestedCalls.insideHeldCall())) {
                    return target;
                }
                target.calls.undoEnter();
                target.wakeDrainWaiter();
                if (mode == Target.CLOSED) {
                    throw new ServiceException("The managed service " + serviceName
                            + " is no longer available: its provider was stopped", ServiceException.UNREGISTERED);
                }
                if (mode == Target.HELD) {
                    if (deadline == 0L) {
                        deadline = System.nanoTime() + maxHoldNanos;
                    }
                    interrupted |= awaitRelease(target.release, deadline);
                }
                target = current;
                target.calls.enter();
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Waits for the latch without giving up on interrupt; returns whether the thread was interrupted. */
    private boolean awaitRelease(CountDownLatch latch, long deadline) {
        boolean interrupted = false;
        for (;;) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0L) {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
                throw new ServiceException("A call to the managed service " + serviceName + " was held for "
                        + TimeUnit.NANOSECONDS.toMillis(maxHoldNanos) + " ms by an update that did not release it",
                        ServiceException.UNSPECIFIED);
            }
            try {
                if (latch.await(remaining, TimeUnit.NANOSECONDS)) {
                    return interrupted;
                }
            } catch (InterruptedException e) {
                // A held call is not cancelled by an interrupt: the update releases it within its bound.
                // The flag is restored when the call goes on.
                interrupted = true;
            }
        }
    }

    public String serviceName() {
        return serviceName;
    }

    /** The implementation new calls go to now. */
    public Object implementation() {
        return current.instance;
    }

    public String version() {
        return current.version();
    }

    public long callsInFlight() {
        return current.inFlight();
    }

    public long callsServed() {
        return current.served();
    }

    boolean isHeld() {
        return current.isHeld();
    }

    Target current() {
        return current;
    }

    void setCurrent(Target target) {
        current = target;
    }

    /** Makes every further call fail with an UNREGISTERED ServiceException; the service is gone. */
    public void close() {
        current.close();
    }
}
