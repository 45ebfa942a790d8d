package org.graft.cluster.internal.cellar;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.apache.karaf.cellar.core.ClusterManager;
import org.apache.karaf.cellar.core.Group;
import org.apache.karaf.cellar.core.GroupManager;
import org.apache.karaf.cellar.core.Node;
import org.graft.cluster.internal.rollout.GroupMembers;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.IMap;
import com.hazelcast.core.MemberAttributeEvent;
import com.hazelcast.core.MembershipEvent;
import com.hazelcast.core.MembershipListener;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;

/**
 * A group's members as Cellar knows them. Cellar keeps each node's groups in a map whose entries stay
 * when the node dies, so a group's members are the nodes it names that are also members of the
 * Hazelcast cluster now. Changes come from Hazelcast's membership (a node joins, leaves or dies) and
 * from Cellar's groups map (a node joins or quits a group); Cellar has no listener of its own.
 */
final class CellarGroupMembers implements GroupMembers {
    /** Where Cellar records which groups each node is in. */
    private static final String CELLAR_GROUPS_MAP = "org.apache.karaf.cellar.groups";

    private final ClusterManager clusterManager;
    private final GroupManager groupManager;
    private final HazelcastInstance hazelcast;

    CellarGroupMembers(ClusterManager clusterManager, GroupManager groupManager, HazelcastInstance hazelcast) {
        this.clusterManager = clusterManager;
        this.groupManager = groupManager;
        this.hazelcast = hazelcast;
    }

    @Override
    public String localNode() {
        return clusterManager.getNode().getId();
    }

    @Override
    public List<String> members(String group) {
        Group found = groupManager.findGroupByName(group);
        if (found == null) {
            return List.of();
        }
        Set<String> alive = new HashSet<>();
        for (Node node : clusterManager.listNodes()) {
            alive.add(node.getId());
        }
        Set<String> members = new TreeSet<>();
        for (Node node : found.getNodes()) {
            if (alive.contains(node.getId())) {
                members.add(node.getId());
            }
        }
        return new ArrayList<>(members);
    }

    @Override
    public Set<String> localGroups() {
        Set<String> names = new TreeSet<>();
        for (Group group : groupManager.listLocalGroups()) {
            names.add(group.getName());
        }
        return names;
    }

    @Override
    public AutoCloseable onChange(Runnable listener) {
        String membership = hazelcast.getCluster().addMembershipListener(new MembershipListener() {
            @Override
            public void memberAdded(MembershipEvent event) {
                listener.run();
            }

            @Override
            public void memberRemoved(MembershipEvent event) {
                listener.run();
            }

            @Override
            public void memberAttributeChanged(MemberAttributeEvent event) {
                // aliases only: membership is unchanged
            }
        });
        IMap<Object, Object> groups = hazelcast.getMap(CELLAR_GROUPS_MAP);
        String groupChanges = groups.addEntryListener(new GroupsListener(listener), false);
        return () -> {
            hazelcast.getCluster().removeMembershipListener(membership);
            groups.removeEntryListener(groupChanges);
        };
    }

    /** Any change of a node's groups; the entry (Cellar's classes) is never read here. */
    private static final class GroupsListener implements EntryAddedListener<Object, Object>,
            EntryUpdatedListener<Object, Object>, EntryRemovedListener<Object, Object> {
        private final Runnable listener;

        GroupsListener(Runnable listener) {
            this.listener = listener;
        }

        @Override
        public void entryAdded(EntryEvent<Object, Object> event) {
            listener.run();
        }

        @Override
        public void entryUpdated(EntryEvent<Object, Object> event) {
            listener.run();
        }

        @Override
        public void entryRemoved(EntryEvent<Object, Object> event) {
            listener.run();
        }
    }
}
