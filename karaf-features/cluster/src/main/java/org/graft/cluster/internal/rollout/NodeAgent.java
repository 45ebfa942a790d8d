package org.graft.cluster.internal.rollout;

import java.lang.System.Logger.Level;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import org.graft.container.internal.log.Logs;

/**
 * This node's part in every rollout of its groups: it claims the assignments the coordinator writes for
 * it, runs Graft's update, rollback or probe on itself, and answers in the record; and, whenever no
 * rollout runs in a group, it brings this node to the version the group runs (at start, when it joins,
 * when the group's version changes), through Graft's update or rollback.
 *
 * <p>Record and membership changes arrive on the cluster's threads, which must not block; each only
 * schedules a look at the group on the agent's one thread, which does all the work, so this node acts
 * on one assignment at a time and in the order it saw them. A look reads the record afresh: a change
 * seen twice, or late, is harmless.
 */
public final class NodeAgent implements AutoCloseable {
    private static final System.Logger LOG = Logs.get("org.graft.cluster");
    private static final Set<Phase> GONE = EnumSet.of(Phase.OVERDUE, Phase.LOST);

    private final RolloutStore store;
    private final GroupMembers members;
    private final LocalUpdates local;
    private final ExecutorService worker;
    /** Convergences that failed, "group/bundle/version/serving": not tried again until one of those changes. */
    private final Set<String> failedConvergences = ConcurrentHashMap.newKeySet();

    NodeAgent(RolloutStore store, GroupMembers members, LocalUpdates local) {
        this.store = store;
        this.members = members;
        this.local = local;
        this.worker = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "graft-cluster-agent");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** A record changed: look at its group, if this node is in it. */
    void recordChanged(String key) {
        String group = RolloutStore.groupOfAnyKey(key);
        if (group != null && members.localGroups().contains(group)) {
            lookSoon(group);
        }
    }

    /** At start, and when membership changes: look at every group of this node. */
    void lookAtEveryGroup() {
        for (String group : members.localGroups()) {
            lookSoon(group);
        }
    }

    private void lookSoon(String group) {
        try {
            worker.execute(() -> {
                try {
                    look(group);
                } catch (RuntimeException e) {
                    LOG.log(Level.ERROR, "Graft's cluster agent on " + members.localNode() + " failed to act on the rollout"
                            + " record of group " + group + "; it acts again at the next change of the record: " + e, e);
                }
            });
        } catch (RejectedExecutionException e) {
            // closing: the node leaves, and a later start looks again
            LOG.log(Level.DEBUG, "not looking at group " + group + ": the agent is closed");
        }
    }

    private void look(String group) {
        String me = members.localNode();
        Optional<Rollout> recorded = store.current(group);
        if (recorded.isPresent()) {
            Rollout rollout = recorded.get();
            Phase phase = rollout.phaseOf(me);
            if (rollout.state() == RolloutState.RUNNING && phase == Phase.ASSIGNED) {
                update(rollout, me);
                return;
            }
            if (rollout.state() == RolloutState.RUNNING && phase == Phase.PROBING) {
                probe(rollout, me);
                return;
            }
            if (rollout.state() == RolloutState.ROLLING_BACK && phase == Phase.ROLLBACK_ASSIGNED) {
                rollBack(rollout, me);
                return;
            }
            if (!rollout.state().isFinal()) {
                // a rollout runs in the group: it alone decides what this node runs
                return;
            }
        }
        converge(group);
    }

    private void update(Rollout rollout, String me) {
        if (!setPhase(rollout, me, EnumSet.of(Phase.ASSIGNED), step -> step.to(Phase.APPLYING, null, now()), true)) {
            return;
        }
        LOG.log(Level.INFO, "rollout " + rollout.id() + ": updating " + rollout.bundle() + " " + rollout.fromVersion()
                + " on " + me + " from " + rollout.url());
        LocalUpdates.Outcome outcome = local.update(rollout.bundle(), rollout.url(), rollout.fromVersion());
        Phase answer = outcome.succeeded() ? Phase.UPDATED : Phase.FAILED;
        boolean answered = setPhase(rollout, me, EnumSet.of(Phase.APPLYING), step -> step.answered(answer,
                outcome.fromVersion(), outcome.toVersion(), outcome.message(), outcome.heldMillis(), now()), false);
        if (answered || !outcome.succeeded()) {
            return;
        }
        // The coordinator stopped waiting (OVERDUE) or saw this node leave (LOST) while it updated: the
        // rollout went on without this node, so it must not keep the new version.
        LOG.log(Level.WARNING, "rollout " + rollout.id() + ": " + me + " updated " + rollout.bundle() + " to "
                + outcome.toVersion() + " after the coordinator had stopped waiting for it; rolling it back");
        LocalUpdates.Outcome back = local.rollback(rollout.bundle(), outcome.toVersion());
        Phase end = back.succeeded() ? Phase.ROLLED_BACK : Phase.ROLLBACK_FAILED;
        String why = "updated after the coordinator had stopped waiting, then "
                + (back.succeeded() ? "rolled itself back" : "failed to roll itself back: " + back.message());
        setPhase(rollout, me, GONE, step -> step.answered(end, outcome.fromVersion(), back.toVersion(), why,
                outcome.heldMillis(), now()), false);
        LOG.log(back.succeeded() ? Level.INFO : Level.ERROR, "rollout " + rollout.id() + ": " + me + " " + why);
    }

    private void probe(Rollout rollout, String me) {
        String version = rollout.step(me).map(NodeStep::toVersion).orElse(null);
        Optional<String> unhealthy = local.unhealthy(rollout.bundle(), version);
        Phase answer = unhealthy.isEmpty() ? Phase.HEALTHY : Phase.UNHEALTHY;
        setPhase(rollout, me, EnumSet.of(Phase.PROBING), step -> step.to(answer, unhealthy.orElse(null), now()), false);
    }

    private void rollBack(Rollout rollout, String me) {
        if (!setPhase(rollout, me, EnumSet.of(Phase.ROLLBACK_ASSIGNED), step -> step.to(Phase.ROLLING_BACK, null, now()), true)) {
            return;
        }
        String serving = rollout.step(me).map(NodeStep::toVersion).orElse(null);
        LocalUpdates.Outcome back = local.rollback(rollout.bundle(), serving);
        Phase end = back.succeeded() ? Phase.ROLLED_BACK : Phase.ROLLBACK_FAILED;
        // After the coordinator gave up (SILENT, LOST) the answer still tells what this node runs.
        setPhase(rollout, me, EnumSet.of(Phase.ROLLING_BACK, Phase.SILENT, Phase.LOST), step -> step.answered(end,
                step.fromVersion(), back.toVersion(), back.message(), step.heldMillis(), now()), false);
    }

    /** Brings this node to the versions the group runs, when it runs another one. */
    private void converge(String group) {
        for (GroupVersion wanted : store.versions(group)) {
            Optional<String> serving = local.servingVersion(wanted.bundle());
            if (serving.isEmpty() || serving.get().equals(wanted.version())) {
                continue;
            }
            String attempt = group + "/" + wanted.bundle() + "/" + wanted.version() + "/" + serving.get();
            if (failedConvergences.contains(attempt)) {
                continue;
            }
            boolean byRollback = local.rollbackVersion(wanted.bundle()).filter(wanted.version()::equals).isPresent();
            LOG.log(Level.INFO, members.localNode() + " runs " + wanted.bundle() + " " + serving.get() + ", the group "
                    + group + " runs " + wanted.version() + ": " + (byRollback ? "rolling back" : "updating from " + wanted.location()));
            LocalUpdates.Outcome outcome;
            if (byRollback) {
                outcome = local.rollback(wanted.bundle(), serving.get());
            } else if (wanted.location() == null) {
                outcome = new LocalUpdates.Outcome(false, serving.get(), serving.get(), "the group records no location for "
                        + wanted.bundle() + " " + wanted.version(), 0L);
            } else {
                outcome = local.update(wanted.bundle(), wanted.location(), serving.get());
            }
            if (outcome.succeeded()) {
                LOG.log(Level.INFO, members.localNode() + " now runs " + wanted.bundle() + " " + outcome.toVersion()
                        + ", as the group " + group + " does");
            } else {
                failedConvergences.add(attempt);
                LOG.log(Level.ERROR, members.localNode() + " could not move " + wanted.bundle() + " from " + serving.get()
                        + " to the group's " + wanted.version() + " and still runs " + outcome.toVersion() + ": "
                        + outcome.message() + ". Not tried again until the group's version or this node's changes.");
            }
        }
    }

    /**
     * Changes this node's step of the rollout if its phase is one of {@code expected}; for a claim, only
     * while the rollout is still in the state the assignment was made in.
     */
    private boolean setPhase(Rollout rollout, String me, Set<Phase> expected,
            UnaryOperator<NodeStep> change, boolean claim) {
        return store.change(rollout.group(), rollout.id(), r -> claim && r.state() != rollout.state() ? Optional.empty()
                : r.transition(me, expected, change)).isPresent();
    }

    /** Returns once every look scheduled before the call has ended. */
    void awaitIdle() throws InterruptedException {
        try {
            worker.submit(() -> { }).get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("an empty task failed", e);
        }
    }

    private static long now() {
        return System.currentTimeMillis();
    }

    /** Stops acting: the assignment in progress ends (Graft's update is bounded); later ones are not claimed. */
    @Override
    public void close() {
        worker.shutdown();
        try {
            if (!worker.awaitTermination(5, TimeUnit.MINUTES)) {
                LOG.log(Level.WARNING, "Graft's cluster agent did not finish its update within 5 minutes of being stopped");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.log(Level.WARNING, "interrupted while Graft's cluster agent finished its update; it ends on its own");
        }
    }
}
