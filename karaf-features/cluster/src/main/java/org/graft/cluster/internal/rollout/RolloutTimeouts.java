package org.graft.cluster.internal.rollout;

/**
 * How long a rollout waits at each node, and how long an updated node must keep serving before the next
 * one starts.
 *
 * @param claimMillis for the node to claim its assignment; a node that does not is SILENT, and can no
 *        longer apply it
 * @param updateMillis for the node's update (or rollback) to end once claimed; Graft's own timeouts
 *        (quiescence, transfer, service) bound the update itself, this bounds a node that stopped answering
 * @param probeMillis how long an updated node must keep serving the new version before the next node
 *        starts; 0 for no probe
 */
public record RolloutTimeouts(long claimMillis, long updateMillis, long probeMillis) {
    public static final RolloutTimeouts DEFAULTS = new RolloutTimeouts(10_000L, 120_000L, 0L);

    public RolloutTimeouts {
        if (claimMillis <= 0 || updateMillis <= 0 || probeMillis < 0) {
            throw new IllegalArgumentException("timeouts must be positive and the probe time not negative: claim "
                    + claimMillis + " ms, update " + updateMillis + " ms, probe " + probeMillis + " ms");
        }
    }
}
