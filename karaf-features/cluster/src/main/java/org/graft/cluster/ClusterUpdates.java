package org.graft.cluster;

import org.graft.cluster.dto.RolloutDTO;
import org.graft.cluster.dto.RolloutRequestDTO;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Rolling updates of a managed bundle across a Karaf Cellar group: one node at a time, each running
 * Graft's own update and answering; the first failure, refusal, silence past its timeout or departure
 * halts the rollout and rolls the nodes already updated back with their state, so the group ends on
 * one version. One rollout runs per group at a time; any node of the group shows it.
 */
@ProviderType
public interface ClusterUpdates {
    /**
     * Runs a rollout, coordinated by this node, to its end. Never throws for a failed or refused one: see
     * the record's state ({@link RolloutDTO#REFUSED} when it did not start, with nothing changed).
     */
    RolloutDTO rollOut(RolloutRequestDTO request);

    /**
     * Rolls back the group's last rollout: every node it updated returns to the version before it, with
     * its state. Takes over a running rollout whose coordinator left the group.
     */
    RolloutDTO rollBack(String group);

    /** The group's last rollout as recorded in the cluster, or null if it has had none. */
    RolloutDTO status(String group);
}
