package org.graft.cluster.internal.rollout;

/**
 * One node's part in a rollout.
 *
 * @param node the node's id in the cluster
 * @param phase where it stands
 * @param fromVersion the version it ran before its update, once it has answered
 * @param toVersion the version it runs after its update, once it has answered
 * @param message what the node or the coordinator said about the last change (a failure's reason)
 * @param heldMillis how long Graft held calls on the node during its update, once updated
 * @param changedAt when the phase last changed (epoch ms, the writer's clock)
 */
public record NodeStep(String node, Phase phase, String fromVersion, String toVersion, String message, long heldMillis,
        long changedAt) {

    static NodeStep waiting(String node) {
        return new NodeStep(node, Phase.WAITING, null, null, null, 0L, 0L);
    }

    NodeStep to(Phase next, String why, long now) {
        return new NodeStep(node, next, fromVersion, toVersion, why, heldMillis, now);
    }

    NodeStep answered(Phase next, String from, String to, String why, long held, long now) {
        return new NodeStep(node, next, from, to, why, held, now);
    }
}
