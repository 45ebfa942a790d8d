package org.graft.cluster.internal.rollout;

import java.util.List;
import java.util.Set;

/** Who is in a group now, as the cluster's membership says: in Karaf, Cellar's groups. */
public interface GroupMembers {
    /** This node's id. */
    String localNode();

    /** The ids of the nodes of the group that are members of the cluster now, sorted. */
    List<String> members(String group);

    /** The groups this node belongs to. */
    Set<String> localGroups();

    /** Tells {@code listener} of every change of membership, on a thread of the cluster's: it must not block. */
    AutoCloseable onChange(Runnable listener);
}
