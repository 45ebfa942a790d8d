package org.graft.container;

import java.util.List;

/** What a state transfer did, and how long its parts took. */
public final class StateTransferResult {
    private final int entries;
    private final long captureNanos;
    private final long convertNanos;
    private final long injectNanos;
    private final List<String> unwrittenEntries;

    public StateTransferResult(int entries, long captureNanos, long convertNanos, long injectNanos) {
        this(entries, captureNanos, convertNanos, injectNanos, List.of());
    }

    /** @since 1.4 */
    public StateTransferResult(int entries, long captureNanos, long convertNanos, long injectNanos, List<String> unwrittenEntries) {
        this.entries = entries;
        this.captureNanos = captureNanos;
        this.convertNanos = convertNanos;
        this.injectNanos = injectNanos;
        this.unwrittenEntries = List.copyOf(unwrittenEntries);
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

    /**
     * The new version's state entries that its transformer did not write (nor declared fresh), in
     * declaration order: the default mapping carried them from the old version. Empty without a
     * transformer (the default mapping plans every entry) or when the new version imports its state itself.
     *
     * @since 1.4
     */
    public List<String> unwrittenEntries() {
        return unwrittenEntries;
    }
}
