package org.graft.cluster.internal.rollout;

import java.util.List;

/**
 * A rolling update asked for.
 *
 * @param group the Cellar group
 * @param bundle the managed bundle's symbolic name
 * @param url where every node reads the new version from (a {@code mvn:}, {@code http:} or shared
 *        {@code file:} location)
 * @param order the nodes in the order to update them, every node of the group once; empty for the
 *        group's nodes sorted by id
 * @param timeouts the waits at each node
 */
public record RolloutRequest(String group, String bundle, String url, List<String> order, RolloutTimeouts timeouts) {
    public RolloutRequest {
        order = List.copyOf(order);
    }
}
