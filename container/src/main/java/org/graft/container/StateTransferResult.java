package org.graft.container;

/** What a state transfer did, and how long its parts took. */
public final class StateTransferResult {
    private final int entries;
    private final long captureNanos;
    private final long convertNanos;
    private final long injectNanos;

    public StateTransferResult(int entries, long captureNanos, long convertNanos, long injectNanos) {
        this.entries = entries;
        this.captureNanos = captureNanos;
        this.convertNanos = convertNanos;
        this.injectNanos = injectNanos;
    }

    /** Entries written into the new instance. */
    public int entries() {
        return entries;
    }

    public long captureNanos() {
        return captureNanos;
    }

    /** Time spent converting or transforming. */
    public long convertNanos() {
        return convertNanos;
    }

    public long injectNanos() {
        return injectNanos;
    }
}
