package org.graft.sample.counter.internal;

/**
 * One counter's value and when it last changed. Immutable by convention, so that a map of tallies
 * can be updated atomically by replacing values; the fields are not final only because the container
 * converts state field by field.
 */
public final class Tally {
    private long count;
    private long updatedAtMillis;

    /** For the container's conversion. */
    private Tally() {
    }

    public Tally(long count, long updatedAtMillis) {
        this.count = count;
        this.updatedAtMillis = updatedAtMillis;
    }

    public long count() {
        return count;
    }

    public long updatedAtMillis() {
        return updatedAtMillis;
    }

    /** The tally after one more increment at {@code nowMillis}. */
    public Tally incremented(long nowMillis) {
        return new Tally(count + 1, nowMillis);
    }
}
