package org.graft.container.internal;

/**
 * What the container decided about one registration, once, when it first saw it: managed under an
 * identity, or left alone, and why (null for a bundle that never asked to be managed).
 */
record Eligibility(boolean managed, String identity, String reason) {
    static final Eligibility NOT_OPTED_IN = new Eligibility(false, null, null);

    static Eligibility managedAs(String identity) {
        return new Eligibility(true, identity, null);
    }

    static Eligibility unmanaged(String identity, String reason) {
        return new Eligibility(false, identity, reason);
    }
}
