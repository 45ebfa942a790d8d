package org.graft.cluster.internal.rollout;

/**
 * Where one node stands in a rollout. Who writes each transition is what makes the rollout safe: the
 * coordinator writes ASSIGNED, PROBING and ROLLBACK_ASSIGNED, and gives up on a node (SILENT, LOST);
 * the node claims its assignment (ASSIGNED to APPLYING, ROLLBACK_ASSIGNED to ROLLING_BACK) and writes
 * its result. Each write is a compare-and-set of the whole rollout record, so a claim and a give-up
 * of the same assignment cannot both succeed: a node never applies an update the coordinator has
 * stopped waiting for (the fence), and the coordinator never calls silent a node that is applying.
 */
public enum Phase {
    /** Not yet asked. */
    WAITING,
    /** Asked to update; not yet claimed by the node. */
    ASSIGNED,
    /** The node claimed the assignment and runs Graft's update. */
    APPLYING,
    /** Graft's update succeeded on the node. */
    UPDATED,
    /** Updated and kept in the group for the probe time: the node checks that its services still serve. */
    PROBING,
    /** Updated and passed the probe. */
    HEALTHY,
    /** Graft's update failed or was refused on the node; the old version serves there. */
    FAILED,
    /** Updated, but its services did not serve at the end of the probe. */
    UNHEALTHY,
    /** The node did not claim its assignment within the claim timeout; it can no longer apply it. */
    SILENT,
    /**
     * The node claimed its update but did not answer within the update timeout; the coordinator stopped
     * waiting, and the node rolls itself back when its update ends.
     */
    OVERDUE,
    /** The node left the group during its step. */
    LOST,
    /** Asked to roll back. */
    ROLLBACK_ASSIGNED,
    /** The node claimed its rollback and runs Graft's rollback. */
    ROLLING_BACK,
    /** Rolled back to the version it had before the rollout. */
    ROLLED_BACK,
    /** Its rollback failed; the node serves the rollout's version. */
    ROLLBACK_FAILED,
    /** Never asked: the rollout halted before its turn. */
    SKIPPED
}
