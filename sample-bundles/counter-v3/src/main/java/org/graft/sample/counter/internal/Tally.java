package org.graft.sample.counter.internal;

import java.math.BigInteger;

/**
 * One counter's value and when it last changed; the count no longer overflows. Version 2's tally
 * (a long count) converts into this one field by field, so no transformer is needed. Immutable by
 * convention; the fields are not final only because the container converts state field by field.
 */
public final class Tally {
    private BigInteger count;
    private long updatedAtMillis;

    /** For the container's conversion. */
    private Tally() {
    }

    public Tally(BigInteger count, long updatedAtMillis) {
        this.count = count;
        this.updatedAtMillis = updatedAtMillis;
    }

    public BigInteger count() {
        return count;
    }

    public long updatedAtMillis() {
        return updatedAtMillis;
    }

    /** The tally after one more increment at {@code nowMillis}. */
    public Tally incremented(long nowMillis) {
        return new Tally(count.add(BigInteger.ONE), nowMillis);
    }
}
