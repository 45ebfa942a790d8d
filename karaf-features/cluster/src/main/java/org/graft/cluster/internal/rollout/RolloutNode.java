package org.graft.cluster.internal.rollout;

import java.lang.System.Logger.Level;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;

import org.graft.container.internal.log.Logs;

/**
 * Graft's rollouts on one node of the cluster: the node's {@link NodeAgent}, the
 * {@link RolloutCoordinator} for rollouts asked for here, and the listeners that tell both of changes.
 */
public final class RolloutNode implements AutoCloseable {
    private static final System.Logger LOG = Logs.get("org.graft.cluster");

    private final RolloutStore store;
    private final GroupMembers members;
    private final NodeAgent agent;
    private final RolloutCoordinator coordinator;
    private final AutoCloseable recordListener;
    private final AutoCloseable memberListener;

    public RolloutNode(SharedRecords records, GroupMembers members, LocalUpdates local) {
        this.store = new RolloutStore(records);
        this.members = members;
        this.agent = new NodeAgent(store, members, local);
        this.coordinator = new RolloutCoordinator(store, members, local);
        // Listeners first, then the first look: a change between the two is then seen, not lost.
        this.recordListener = records.onChange(key -> {
            store.changed();
            agent.recordChanged(key);
        });
        this.memberListener = members.onChange(() -> {
            store.changed();
            agent.lookAtEveryGroup();
        });
        agent.lookAtEveryGroup();
    }

    /** Runs a rollout coordinated by this node, on the calling thread, to its end. */
    public Rollout rollOut(RolloutRequest request) throws RolloutRefused, InterruptedException {
        return coordinator.run(request, id -> { }, id -> { });
    }

    /**
     * As {@link #rollOut(RolloutRequest)}, telling {@code started} the rollout's id once it is recorded
     * and {@code ended} when this node stops coordinating it.
     */
    public Rollout rollOut(RolloutRequest request, Consumer<String> started,
            Consumer<String> ended) throws RolloutRefused, InterruptedException {
        return coordinator.run(request, started, ended);
    }

    /** Rolls back the group's last rollout ({@link RolloutCoordinator#rollBack}). */
    public Rollout rollBack(String group, Predicate<String> coordinatedHere)
            throws RolloutRefused, InterruptedException {
        return coordinator.rollBack(group, coordinatedHere);
    }

    /** The group's last rollout, as recorded. */
    public Optional<Rollout> status(String group) {
        return store.current(group);
    }

    /** Returns once every look this node's agent has scheduled so far has ended. */
    void awaitIdle() throws InterruptedException {
        agent.awaitIdle();
    }

    @Override
    public void close() {
        closeQuietly(recordListener, "record");
        closeQuietly(memberListener, "membership");
        agent.close();
    }

    private void closeQuietly(AutoCloseable listener, String what) {
        try {
            listener.close();
        } catch (Exception e) {
            // The cluster may be gone already (Cellar stopped first): nothing is left to tell us anything.
            LOG.log(Level.DEBUG, "removing Graft's " + what + " listener on " + members.localNode() + " failed: " + e, e);
        }
    }
}
