package org.graft.container.internal.gate;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Counts the calls running on one implementation instance, striped by thread so that concurrent
 * callers do not fight over one cache line, with one locked instruction per call (why one is needed and
 * enough: {@link CallGate}'s implementation notes).
 *
 * <p>Each stripe holds two monotonic counts, entered and exited, for the one thread that owns the
 * stripe (the first to use it, by compare-and-set of its id), and a shared pair for every other thread
 * that lands on it. A thread always lands on the same stripe (derived from its id) and always takes
 * the same pair there (a stripe's owner, once set, never changes), so its enter and its exit land on
 * the same counts. The owner counts in with a volatile store and out with a release store, ordered after
 * the call's own writes, so a drain that reads the exit (acquire) also sees everything the call did;
 * other threads use atomic increments on the shared pair.
 *
 * <p>{@link #inFlight()} reads, stripe by stripe, exited before entered: a stripe then reports at
 * least the calls that were running on it when it was read, never fewer.
 */
final class InFlightCounter {
    private static final int STRIPES = stripes();
    private static final int STRIPE_SHIFT = 64 - Integer.numberOfTrailingZeros(STRIPES);
    /** 16 longs = 128 bytes: a stripe never shares a line (or an adjacent-line prefetch pair) with another. */
    private static final int PAD = 16;
    /**
     * A stripe's owner's thread id; 0 = not owned yet (thread ids start at 1). HotSpot never reuses an
     * id (a counter); the spec allows reuse only after the thread ended, and a dead owner writes no
     * more, so a successor with its id would still be the stripe's only writer.
     */
    private static final int OWNER = 0;
    private static final int OWNER_ENTERED = 1;
    private static final int OWNER_EXITED = 2;
    /** The shared pair sits on the stripe's second 64-byte line, away from the owner's hot pair. */
    private static final int SHARED_ENTERED = 8;
    private static final int SHARED_EXITED = 9;

    /** Stripe s lives at (s + 1) * PAD; slot 0's line is padding. */
    private final AtomicLongArray cells = new AtomicLongArray((STRIPES + 1) * PAD);

    private static int stripes() {
        int wanted = Math.max(16, Math.min(128, Runtime.getRuntime().availableProcessors() * 8));
        return Integer.highestOneBit(wanted - 1) << 1;
    }

    /** How many stripes a counter has: more concurrent callers than this must share some. */
    static int stripeCount() {
        return STRIPES;
    }

    private static int base(long threadId) {
        int stripe = (int) ((threadId * 0x9E3779B97F4A7C15L) >>> STRIPE_SHIFT);
        return (stripe + 1) * PAD;
    }

    /** Counts a call in. Ends with a full fence: the caller's next read cannot move above it. */
    void enter() {
        long id = Thread.currentThread().getId();
        int base = base(id);
        // Opaque: coherent per location, so a thread that lost the claim never reads 0 again.
        long owner = cells.getOpaque(base + OWNER);
        if (owner == id || (owner == 0L && cells.compareAndSet(base + OWNER, 0L, id))) {
            cells.set(base + OWNER_ENTERED, cells.getPlain(base + OWNER_ENTERED) + 1);
        } else {
            cells.getAndIncrement(base + SHARED_ENTERED);
        }
    }

    /** Takes back an {@link #enter()} whose call did not run (it bounced off a held gate). */
    void undoEnter() {
        long id = Thread.currentThread().getId();
        int base = base(id);
        if (cells.getOpaque(base + OWNER) == id) {
            cells.setRelease(base + OWNER_ENTERED, cells.getPlain(base + OWNER_ENTERED) - 1);
        } else {
            cells.getAndDecrement(base + SHARED_ENTERED);
        }
    }

    /** Counts a call out. */
    void exit() {
        long id = Thread.currentThread().getId();
        int base = base(id);
        if (cells.getOpaque(base + OWNER) == id) {
            cells.setRelease(base + OWNER_EXITED, cells.getPlain(base + OWNER_EXITED) + 1);
        } else {
            cells.getAndIncrement(base + SHARED_EXITED);
        }
    }

    /** Calls running now; exact only once new calls are held (see the class comment). */
    long inFlight() {
        long running = 0;
        for (int base = PAD; base < cells.length(); base += PAD) {
            long exited = cells.get(base + OWNER_EXITED);
            running += cells.get(base + OWNER_ENTERED) - exited;
            long sharedExited = cells.get(base + SHARED_EXITED);
            running += cells.get(base + SHARED_ENTERED) - sharedExited;
        }
        return running;
    }

    /** Calls that have completed. */
    long served() {
        long served = 0;
        for (int base = PAD; base < cells.length(); base += PAD) {
            served += cells.get(base + OWNER_EXITED) + cells.get(base + SHARED_EXITED);
        }
        return served;
    }
}
