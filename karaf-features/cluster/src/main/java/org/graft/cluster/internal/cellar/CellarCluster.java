package org.graft.cluster.internal.cellar;

import org.apache.karaf.cellar.core.ClusterManager;
import org.apache.karaf.cellar.core.GroupManager;
import org.graft.cluster.internal.rollout.GroupMembers;
import org.graft.cluster.internal.rollout.SharedRecords;

import com.hazelcast.core.HazelcastInstance;

/** The Cellar cluster as the rollouts use it: its Hazelcast map for the records, its groups for membership. */
public final class CellarCluster {
    private final HazelcastRecords records;
    private final CellarGroupMembers members;

    public CellarCluster(HazelcastInstance hazelcast, ClusterManager clusterManager, GroupManager groupManager) {
        this.records = new HazelcastRecords(hazelcast);
        this.members = new CellarGroupMembers(clusterManager, groupManager, hazelcast);
    }

    public SharedRecords records() {
        return records;
    }

    public GroupMembers members() {
        return members;
    }
}
