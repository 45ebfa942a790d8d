package org.graft.container.internal.gate;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Counts the calls running on one implementation instance, striped by thread so that concurrent
 * callers do not fight over one cache line.
 *
 * <p>Each stripe holds two monotonic counts, entered and exited, on a cache line of its own. A thread
 * always uses the same stripe (derived from its id), so its enter and its exit land on the same
 * counts. {@link #inFlight()} reads, stripe by stripe, exited before entered: a stripe then reports
 * at least the calls that were running on it when it was read, never fewer. A sum of zero therefore
 * proves that no call that started before the read was still running when it ended; the gate's hold
 * protocol (see {@link CallGate}) turns that into an exact drain.
 */
final class InFlightCounter {
    private static final int STRIPES = stripes();
    private static final int STRIPE_SHIFT = 64 - Integer.numberOfTrailingZeros(STRIPES);
    /** 16 longs = 128 bytes: a stripe never shares a line (or an adjacent-line prefetch pair) with another. */
    private static final int PAD = 16;

    /** Stripe s lives at (s + 1) * PAD (entered) and (s + 1) * PAD + 1 (exited); slot 0's line is padding. */
    private final AtomicLongArray cells = new AtomicLongArray((STRIPES + 1) * PAD);

    private static int stripes() {
        int wanted = Math.max(4, Math.min(64, Runtime.getRuntime().availableProcessors() * 4));
        return Integer.highestOneBit(wanted - 1) << 1;
    }

    private static int base() {
        long id = Thread.currentThread().getId();
        int stripe = (int) ((id * 0x9E3779B97F4A7C15L) >>> STRIPE_SHIFT);
        return (stripe + 1) * PAD;
    }

    /** Counts a call in. A full fence (lock xadd): the caller's next read cannot move above it. */
    void enter() {
        cells.getAndIncrement(base());
    }

    /** Takes back an {@link #enter()} whose call did not run (it bounced off a held gate). */
    void undoEnter() {
        cells.getAndDecrement(base());
    }

    /** Counts a call out. */
    void exit() {
        cells.getAndIncrement(base() + 1);
    }

    /** Calls running now; exact only once new calls are held (see the class comment). */
    long inFlight() {
        long running = 0;
        for (int i = PAD; i < cells.length(); i += PAD) {
            long exited = cells.get(i + 1);
            running += cells.get(i) - exited;
        }
        return running;
    }

    /** Calls that have completed. */
    long served() {
        long served = 0;
        for (int i = PAD; i < cells.length(); i += PAD) {
            served += cells.get(i + 1);
        }
        return served;
    }
}
