package org.graft.cluster.internal.rollout;


import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

import org.graft.container.internal.log.Logs;

/**
 * Runs a rollout from the node it was asked on: one node at a time, in the stated order, each running
 * Graft's own update and answering through the shared record; the next node starts only once the
 * previous one answered success (and, with a probe, kept serving for the probe time). The first
 * failure, refusal, silence or departure halts the rollout, and the nodes already updated are rolled
 * back, last updated first, with Graft's rollback: the group ends on one version.
 *
 * <p>Why a node never applies an assignment the coordinator gave up on: the node's claim (ASSIGNED to
 * APPLYING) and the coordinator's give-up (ASSIGNED to SILENT) are compare-and-sets of the same record,
 * so exactly one of them succeeds; a node that claimed and then outlives the update timeout finds its
 * answer refused (APPLYING became SILENT) and rolls itself back ({@link NodeAgent}). Nothing depends on
 * clocks agreeing across nodes: every deadline is the coordinator's own.
 */
public final class RolloutCoordinator {
    private static final System.Logger LOG = Logs.get("org.graft.cluster");
    /** The phases of a node that runs the rollout's version, and so is rolled back at a halt. */
    private static final Set<Phase> ON_ROLLOUT_VERSION = EnumSet.of(Phase.UPDATED, Phase.PROBING, Phase.HEALTHY, Phase.UNHEALTHY,
            Phase.ROLLBACK_FAILED);

    private final RolloutStore store;
    private final GroupMembers members;
    private final LocalUpdates local;

    RolloutCoordinator(RolloutStore store, GroupMembers members, LocalUpdates local) {
        this.store = store;
        this.members = members;
        this.local = local;
    }

    /**
     * Runs the rollout to its end on the calling thread.
     *
     * @return the rollout as it ended: SUCCEEDED, ROLLED_BACK or ROLLBACK_INCOMPLETE
     * @throws RolloutRefused if it could not start (nothing changed anywhere)
     */
    public Rollout run(RolloutRequest request, Consumer<String> started,
            Consumer<String> ended) throws RolloutRefused, InterruptedException {
        String self = members.localNode();
        List<String> group = members.members(request.group());
        if (!group.contains(self)) {
            throw new RolloutRefused("this node (" + self + ") is not in the group " + request.group()
                    + (group.isEmpty() ? ", which has no members" : ", whose members are " + group));
        }
        List<String> order = order(request, group);
        String fromVersion = local.servingVersion(request.bundle()).orElseThrow(() -> new RolloutRefused(
                "the bundle " + request.bundle() + " is not managed by Graft on this node (" + self + ")"));
        String fromLocation = local.servingLocation(request.bundle()).orElse(null);
        Rollout rollout = Rollout.start(UUID.randomUUID().toString(), request.group(), request.bundle(), request.url(),
                fromVersion, fromLocation, self, order, request.timeouts(), System.currentTimeMillis());
        Optional<Rollout> running = store.begin(rollout);
        if (running.isPresent()) {
            Rollout other = running.get();
            throw new RolloutRefused("a rollout already runs in the group " + request.group() + ": " + other.id() + " of "
                    + other.bundle() + ", coordinated by " + other.coordinator() + ", " + other.state());
        }
        started.accept(rollout.id());
        try {
            return recorded(rollout, request, fromVersion, fromLocation, order);
        } catch (CoordinationLost e) {
            LOG.log(Level.WARNING, String.format("rollout %s: %s; this node stops coordinating it", rollout.id(), e.getMessage()));
            return e.now;
        } finally {
            ended.accept(rollout.id());
        }
    }

    private Rollout recorded(Rollout rollout, RolloutRequest request, String fromVersion, String fromLocation,
            List<String> order) throws InterruptedException {
        LOG.log(Level.INFO, String.format("rollout %s: %s in group %s from %s to %s, nodes in order %s", rollout.id(), request.bundle(),
                request.group(), fromVersion, request.url(), order));
        return drive(rollout);
    }

    /**
     * Rolls back the group's last rollout: one that succeeded (every node back to the version before
     * it), one whose rollback was incomplete (the nodes still on its version), or one still running
     * whose coordinator left the group (this node takes it over, halts it and rolls back what it
     * changed).
     *
     * @param runningHere whether a rollout is coordinated in this JVM now, so that one is not taken over
     * @throws RolloutRefused naming why, with nothing changed
     */
    public Rollout rollBack(String group, Predicate<String> runningHere)
            throws RolloutRefused, InterruptedException {
        String self = members.localNode();
        for (;;) {
            Rollout recorded = store.current(group).orElseThrow(() -> new RolloutRefused("the group " + group
                    + " has no rollout to roll back"));
            String why;
            if (recorded.state() == RolloutState.ROLLED_BACK) {
                throw new RolloutRefused("rollout " + recorded.id() + " of " + recorded.bundle() + " in the group " + group
                        + " was already rolled back: " + recorded.message());
            } else if (!recorded.state().isFinal()) {
                boolean coordinatorHere = recorded.coordinator().equals(self) && runningHere.test(recorded.id());
                if (coordinatorHere || (!recorded.coordinator().equals(self) && isMember(recorded, recorded.coordinator()))) {
                    throw new RolloutRefused("rollout " + recorded.id() + " of " + recorded.bundle() + " in the group " + group
                            + " is " + recorded.state() + ", coordinated by " + recorded.coordinator()
                            + ", which is in the group: it halts and rolls back by itself at the first failure");
                }
                why = "taken over by " + self + ": its coordinator " + recorded.coordinator() + " left the group";
            } else {
                why = "rolled back on request from " + self;
            }
            Optional<Rollout> taken = store.change(group, recorded.id(), r -> r.state() != recorded.state()
                    || !r.coordinator().equals(recorded.coordinator()) ? Optional.empty()
                    : Optional.of(r.coordinatedBy(self, null).halted(RolloutState.ROLLING_BACK, why)
                            .inState(RolloutState.ROLLING_BACK, why, System.currentTimeMillis())));
            if (taken.isPresent()) {
                LOG.log(Level.INFO, String.format("rollout %s in group %s: %s", recorded.id(), group, why));
                try {
                    return rollBackChanged(taken.get());
                } catch (CoordinationLost e) {
                    LOG.log(Level.WARNING, String.format("rollout %s: %s; this node stops rolling it back", recorded.id(),
                            e.getMessage()));
                    return e.now;
                }
            }
            // the record changed between the read and the write: decide again on what it is now
        }
    }

    private static List<String> order(RolloutRequest request, List<String> group) throws RolloutRefused {
        if (request.order().isEmpty()) {
            return group;
        }
        List<String> unknown = new ArrayList<>(request.order());
        unknown.removeAll(group);
        List<String> missing = new ArrayList<>(group);
        missing.removeAll(request.order());
        Set<String> once = new HashSet<>(request.order());
        if (!unknown.isEmpty() || !missing.isEmpty() || once.size() != request.order().size()) {
            throw new RolloutRefused("the order must name every node of the group " + request.group() + " once ("
                    + group + ")" + (unknown.isEmpty() ? "" : "; not in the group: " + unknown)
                    + (missing.isEmpty() ? "" : "; missing: " + missing)
                    + (once.size() == request.order().size() ? "" : "; named twice: " + request.order()));
        }
        return request.order();
    }

    private Rollout drive(Rollout rollout) throws InterruptedException {
        for (NodeStep step : rollout.steps()) {
            Optional<String> failure = updateNode(rollout, step.node());
            if (failure.isPresent()) {
                LOG.log(Level.WARNING, String.format("rollout %s halted at %s: %s", rollout.id(), step.node(), failure.get()));
                return rollBack(rollout, failure.get());
            }
        }
        Rollout now = current(rollout);
        String toVersion = now.steps().get(now.steps().size() - 1).toVersion();
        Rollout done = change(rollout,
                r -> Optional.of(r.inState(RolloutState.SUCCEEDED, "every node runs " + toVersion, System.currentTimeMillis())))
                .orElseThrow(() -> lost(rollout));
        LOG.log(Level.INFO, String.format("rollout %s succeeded: every node of %s runs %s %s", rollout.id(), rollout.group(), rollout.bundle(), toVersion));
        return done;
    }

    /** Takes one node through its update; the reason it halts the rollout, or empty once it succeeded. */
    private Optional<String> updateNode(Rollout rollout, String node) throws InterruptedException {
        RolloutTimeouts timeouts = rollout.timeouts();
        if (!isMember(rollout, node)) {
            setPhase(rollout, node, EnumSet.of(Phase.WAITING), Phase.LOST, "left the group before its turn");
            return Optional.of(node + " left the group before its turn");
        }
        setPhase(rollout, node, EnumSet.of(Phase.WAITING), Phase.ASSIGNED, null);
        Rollout now = awaitPhaseLeaves(rollout, node, Phase.ASSIGNED, timeouts.claimMillis());
        if (now.phaseOf(node) == Phase.ASSIGNED) {
            Optional<String> gaveUp = giveUp(rollout, node, Phase.ASSIGNED, Phase.SILENT, timeouts.claimMillis(), "claim its update");
            if (gaveUp.isPresent()) {
                return gaveUp;
            }
            // it claimed in the meantime: wait for its answer as usual
        }
        now = awaitPhaseLeaves(rollout, node, Phase.APPLYING, timeouts.updateMillis());
        if (now.phaseOf(node) == Phase.APPLYING) {
            Optional<String> gaveUp = giveUp(rollout, node, Phase.APPLYING, Phase.OVERDUE, timeouts.updateMillis(), "finish its update");
            if (gaveUp.isPresent()) {
                return gaveUp;
            }
            now = current(rollout);
        }
        NodeStep answer = now.step(node).orElseThrow();
        if (answer.phase() != Phase.UPDATED) {
            return Optional.of(node + ": " + answer.phase() + (answer.message() == null ? "" : ": " + answer.message()));
        }
        return timeouts.probeMillis() == 0L ? Optional.empty() : probe(rollout, node);
    }

    /** Waits the probe time with the node in the group, then asks it whether its services still serve. */
    private Optional<String> probe(Rollout rollout, String node) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(rollout.timeouts().probeMillis());
        Rollout now = store.await(rollout.group(), r -> !isMember(r, node), deadline).orElseThrow(() -> lost(rollout));
        if (!isMember(now, node)) {
            setPhase(rollout, node, EnumSet.of(Phase.UPDATED), Phase.LOST, "left the group during its probe");
            return Optional.of(node + " left the group during its probe");
        }
        setPhase(rollout, node, EnumSet.of(Phase.UPDATED), Phase.PROBING, null);
        now = awaitPhaseLeaves(rollout, node, Phase.PROBING, rollout.timeouts().claimMillis());
        if (now.phaseOf(node) == Phase.PROBING) {
            Optional<String> gaveUp = giveUp(rollout, node, Phase.PROBING, Phase.UNHEALTHY, rollout.timeouts().claimMillis(),
                    "answer its probe");
            if (gaveUp.isPresent()) {
                return gaveUp;
            }
            now = current(rollout);
        }
        NodeStep answer = now.step(node).orElseThrow();
        return answer.phase() == Phase.HEALTHY ? Optional.empty()
                : Optional.of(node + ": " + answer.phase() + (answer.message() == null ? "" : ": " + answer.message()));
    }

    /**
     * Marks a node that did not leave {@code phase} in time {@code verdict} (or LOST if it left the
     * group); empty if it answered in the meantime (the compare-and-set lost to its answer).
     */
    private Optional<String> giveUp(Rollout rollout, String node, Phase phase, Phase verdict, long waitedMillis, String what) {
        boolean member = isMember(rollout, node);
        String why = member ? "did not " + what + " within " + waitedMillis + " ms" : "left the group before it could " + what;
        if (setPhase(rollout, node, EnumSet.of(phase), member ? verdict : Phase.LOST, why)) {
            return Optional.of(node + " " + why);
        }
        return Optional.empty();
    }

    /**
     * Halts the rollout and rolls back every node it changed, the last changed first.
     */
    private Rollout rollBack(Rollout rollout, String reason) throws InterruptedException {
        Rollout halted = change(rollout, r -> Optional.of(r.halted(RolloutState.ROLLING_BACK, reason)))
                .orElseThrow(() -> lost(rollout));
        return rollBackChanged(halted);
    }

    /** Rolls back every node of a halted (ROLLING_BACK) rollout that runs its version, the last changed first. */
    Rollout rollBackChanged(Rollout halted) throws InterruptedException {
        List<NodeStep> changed = new ArrayList<>();
        for (NodeStep step : halted.steps()) {
            if (ON_ROLLOUT_VERSION.contains(step.phase())) {
                changed.add(step);
            }
        }
        Collections.reverse(changed);
        List<String> notBack = new ArrayList<>();
        for (NodeStep step : changed) {
            Optional<String> failure = rollBackNode(halted, step.node());
            failure.ifPresent(notBack::add);
        }
        List<String> away = new ArrayList<>();
        for (NodeStep step : current(halted).steps()) {
            if (step.phase() == Phase.OVERDUE) {
                notBack.add(step.node() + " was still updating when the coordinator stopped waiting; it rolls itself back"
                        + " when its update ends");
            } else if (step.phase() == Phase.LOST && changed.stream().noneMatch(c -> c.node().equals(step.node()))) {
                away.add(step.node() + " is not in the group; it returns to " + halted.fromVersion() + " when it rejoins");
            }
        }
        RolloutState end = notBack.isEmpty() ? RolloutState.ROLLED_BACK : RolloutState.ROLLBACK_INCOMPLETE;
        String why = halted.message() + (notBack.isEmpty() ? "; every updated node rolled back"
                : "; not rolled back: " + String.join("; ", notBack)) + (away.isEmpty() ? "" : "; " + String.join("; ", away));
        Rollout done = change(halted, r -> Optional.of(r.inState(end, why, System.currentTimeMillis())))
                .orElseThrow(() -> lost(halted));
        LOG.log(Level.INFO, String.format("rollout %s %s: %s", halted.id(), end, why));
        return done;
    }

    private Optional<String> rollBackNode(Rollout rollout, String node) throws InterruptedException {
        if (!isMember(rollout, node)) {
            setPhase(rollout, node, ON_ROLLOUT_VERSION, Phase.LOST, "left the group before its rollback; it returns to "
                    + rollout.fromVersion() + " when it rejoins");
            return Optional.of(node + " left the group (it converges to " + rollout.fromVersion() + " when it rejoins)");
        }
        if (!setPhase(rollout, node, ON_ROLLOUT_VERSION, Phase.ROLLBACK_ASSIGNED, null)) {
            return Optional.of(node + " changed phase before its rollback: " + current(rollout).phaseOf(node));
        }
        long wait = rollout.timeouts().claimMillis() + rollout.timeouts().updateMillis();
        Rollout now = awaitPhaseLeaves(rollout, node, EnumSet.of(Phase.ROLLBACK_ASSIGNED, Phase.ROLLING_BACK), wait);
        Phase phase = now.phaseOf(node);
        if (phase == Phase.ROLLBACK_ASSIGNED || phase == Phase.ROLLING_BACK) {
            boolean member = isMember(now, node);
            Phase verdict = member ? Phase.SILENT : Phase.LOST;
            String why = member ? "did not finish its rollback within " + wait + " ms" : "left the group during its rollback";
            if (setPhase(rollout, node, EnumSet.of(phase), verdict, why)) {
                return Optional.of(node + " " + why);
            }
            now = current(rollout);
            phase = now.phaseOf(node);
        }
        if (phase == Phase.ROLLED_BACK) {
            return Optional.empty();
        }
        NodeStep step = now.step(node).orElseThrow();
        return Optional.of(node + ": " + phase + (step.message() == null ? "" : ": " + step.message()));
    }

    /**
     * A change by this node as the rollout's coordinator: refused, with {@link CoordinationLost}, once
     * another node has taken the rollout over ({@code dsu:cluster-rollback} after this node left the
     * group), so that a coordinator that comes back never overwrites the one that replaced it.
     */
    private Optional<Rollout> change(Rollout rollout, Function<Rollout, Optional<Rollout>> change) {
        String self = members.localNode();
        boolean[] replaced = new boolean[1];
        Optional<Rollout> written = store.change(rollout.group(), rollout.id(), r -> {
            if (!r.coordinator().equals(self)) {
                replaced[0] = true;
                return Optional.empty();
            }
            return change.apply(r);
        });
        if (replaced[0]) {
            throw new CoordinationLost(current(rollout));
        }
        return written;
    }

    /** This node no longer coordinates the rollout: another node took it over. */
    static final class CoordinationLost extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient Rollout now;

        CoordinationLost(Rollout now) {
            super("rollout " + now.id() + " is coordinated by " + now.coordinator() + " now");
            this.now = now;
        }
    }

    private boolean isMember(Rollout rollout, String node) {
        return members.members(rollout.group()).contains(node);
    }

    private boolean setPhase(Rollout rollout, String node, Set<Phase> expected, Phase next, String why) {
        long now = System.currentTimeMillis();
        return change(rollout, r -> r.transition(node, expected, step -> step.to(next, why, now))).isPresent();
    }

    /** Waits until the node's phase is no longer {@code phase} or it left the group, at most {@code millis}. */
    private Rollout awaitPhaseLeaves(Rollout rollout, String node, Phase phase, long millis) throws InterruptedException {
        return awaitPhaseLeaves(rollout, node, EnumSet.of(phase), millis);
    }

    private Rollout awaitPhaseLeaves(Rollout rollout, String node, Set<Phase> phases, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        return store.await(rollout.group(), r -> !r.id().equals(rollout.id()) || !phases.contains(r.phaseOf(node))
                || !isMember(r, node), deadline).orElseThrow(() -> lost(rollout));
    }

    private Rollout current(Rollout rollout) {
        return store.current(rollout.group()).filter(r -> r.id().equals(rollout.id())).orElseThrow(() -> lost(rollout));
    }

    private static IllegalStateException lost(Rollout rollout) {
        return new IllegalStateException("the record of rollout " + rollout.id() + " in group " + rollout.group()
                + " was replaced or removed while it ran: another node wrote rollout/" + rollout.group());
    }
}
