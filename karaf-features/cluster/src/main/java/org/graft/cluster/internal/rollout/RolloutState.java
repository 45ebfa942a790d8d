package org.graft.cluster.internal.rollout;

/** Where a rollout as a whole stands. Every state but RUNNING and ROLLING_BACK is final. */
public enum RolloutState {
    /** Nodes are being updated one at a time. */
    RUNNING,
    /** Every node runs the new version. */
    SUCCEEDED,
    /** A node failed, refused, fell silent or left; the updated nodes are being rolled back. */
    ROLLING_BACK,
    /** Halted; every node that had been updated is back on the old version. */
    ROLLED_BACK,
    /**
     * Halted; a node that had been updated could not be rolled back (its rollback failed, or it left the
     * group): it is named in its step. One that left converges to the group's version when it returns.
     */
    ROLLBACK_INCOMPLETE;

    public boolean isFinal() {
        return this != RUNNING && this != ROLLING_BACK;
    }
}
