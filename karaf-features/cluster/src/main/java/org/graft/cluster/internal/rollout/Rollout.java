package org.graft.cluster.internal.rollout;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * One rolling update of a bundle across a group, as the whole group sees it: the record every node
 * reads and the coordinator and the nodes change, one compare-and-set at a time ({@link RolloutStore}).
 * Immutable: every transition returns a new record, or empty when it does not apply to this one, so
 * that a writer that lost a race re-reads and decides again.
 *
 * @param id unique per rollout: a node acts on an assignment only if it names the rollout now recorded
 * @param group the Cellar group
 * @param bundle the symbolic name of the managed bundle
 * @param url where every node reads the new version from
 * @param fromVersion the version the group ran before (the coordinator's), to converge to after a halt
 * @param fromLocation where that version can be read from, for a node that cannot roll back by itself
 * @param coordinator the node that runs the rollout
 * @param state where the rollout stands
 * @param steps the nodes, in the order they are updated
 * @param message why the rollout halted, or how it ended
 * @param timeouts how long the coordinator waits for a claim, an update and a rollback; the probe time
 * @param startedAt epoch ms
 * @param endedAt epoch ms, 0 while not final
 */
public record Rollout(String id, String group, String bundle, String url, String fromVersion, String fromLocation,
        String coordinator, RolloutState state, List<NodeStep> steps, String message, RolloutTimeouts timeouts,
        long startedAt, long endedAt) {

    public Rollout {
        steps = List.copyOf(steps);
    }

    public static Rollout start(String id, String group, String bundle, String url, String fromVersion,
            String fromLocation, String coordinator, List<String> order, RolloutTimeouts timeouts, long now) {
        List<NodeStep> steps = new ArrayList<>();
        for (String node : order) {
            steps.add(NodeStep.waiting(node));
        }
        return new Rollout(id, group, bundle, url, fromVersion, fromLocation, coordinator, RolloutState.RUNNING, steps,
                null, timeouts, now, 0L);
    }

    /**
     * The version a final rollout left its group on: the new one if it succeeded, else the one before.
     * Kept in the rollout's own record, so that a rollout's end and its group's version are written in
     * one compare-and-set: no node can see the one without the other.
     */
    public Optional<GroupVersion> outcome() {
        if (state == RolloutState.SUCCEEDED) {
            return steps.stream().filter(s -> s.toVersion() != null && (s.phase() == Phase.UPDATED || s.phase() == Phase.HEALTHY))
                    .findFirst().map(s -> new GroupVersion(group, bundle, s.toVersion(), url, id));
        }
        if (state == RolloutState.ROLLED_BACK || state == RolloutState.ROLLBACK_INCOMPLETE) {
            return Optional.of(new GroupVersion(group, bundle, fromVersion, fromLocation, id));
        }
        return Optional.empty();
    }

    public Optional<NodeStep> step(String node) {
        return steps.stream().filter(s -> s.node().equals(node)).findFirst();
    }

    public Phase phaseOf(String node) {
        return step(node).map(NodeStep::phase).orElse(null);
    }

    /** The same rollout with {@code node}'s step replaced; empty if the node's phase is not one of {@code expected}. */
    Optional<Rollout> transition(String node, Set<Phase> expected, UnaryOperator<NodeStep> change) {
        List<NodeStep> next = new ArrayList<>(steps);
        for (int i = 0; i < next.size(); i++) {
            NodeStep step = next.get(i);
            if (step.node().equals(node)) {
                if (!expected.contains(step.phase())) {
                    return Optional.empty();
                }
                next.set(i, change.apply(step));
                return Optional.of(new Rollout(id, group, bundle, url, fromVersion, fromLocation, coordinator, state,
                        next, message, timeouts, startedAt, endedAt));
            }
        }
        return Optional.empty();
    }

    /**
     * Every step still WAITING marked SKIPPED, the state set, and the reason. A step assigned and not
     * yet claimed becomes SILENT (its claim will be refused), one being applied OVERDUE (its answer
     * will be refused, and the node rolls itself back): a halt decided by another node than the
     * coordinator (a takeover) fences them as the coordinator's own give-up does.
     */
    Rollout halted(RolloutState next, String why) {
        List<NodeStep> fenced = new ArrayList<>();
        for (NodeStep step : steps) {
            fenced.add(switch (step.phase()) {
                case WAITING -> step.to(Phase.SKIPPED, "the rollout halted before this node's turn", step.changedAt());
                case ASSIGNED -> step.to(Phase.SILENT, "the rollout halted before this node claimed its update",
                        step.changedAt());
                case APPLYING -> step.to(Phase.OVERDUE, "the rollout halted while this node updated; it rolls itself"
                        + " back when its update ends", step.changedAt());
                default -> step;
            });
        }
        return new Rollout(id, group, bundle, url, fromVersion, fromLocation, coordinator, next, fenced,
                message == null ? why : message, timeouts, startedAt, endedAt);
    }

    Rollout inState(RolloutState next, String why, long now) {
        return new Rollout(id, group, bundle, url, fromVersion, fromLocation, coordinator, next, steps,
                why == null ? message : why, timeouts, startedAt, next.isFinal() ? now : 0L);
    }

    Rollout coordinatedBy(String node, String why) {
        return new Rollout(id, group, bundle, url, fromVersion, fromLocation, node, state, steps, why, timeouts,
                startedAt, endedAt);
    }
}
