package org.graft.cluster.internal.rollout;

import java.util.Optional;

/** What a node does for a rollout, on itself: Graft's own update and rollback, and what serves. */
public interface LocalUpdates {
    /** The version of the managed bundle serving here, or empty if it is not managed here. */
    Optional<String> servingVersion(String bundle);

    /** Where the serving version of the bundle was installed from, or empty. */
    Optional<String> servingLocation(String bundle);

    /** The version a rollback of the bundle would return to here, or empty if there is none to roll back. */
    Optional<String> rollbackVersion(String bundle);

    /** Graft's update of the bundle from {@code url}, refused unless {@code expectedVersion} serves. */
    Outcome update(String bundle, String url, String expectedVersion);

    /** Graft's rollback of the bundle, refused unless {@code expectedVersion} serves. */
    Outcome rollback(String bundle, String expectedVersion);

    /**
     * Why the bundle's services do not serve {@code version} here, or empty if every managed service of
     * the bundle serves it.
     */
    Optional<String> unhealthy(String bundle, String version);

    /**
     * The end of an update or rollback on this node.
     *
     * @param succeeded whether the node now runs the version asked for
     * @param fromVersion the version before
     * @param toVersion the version after (the old one if it failed)
     * @param message the report's message: why it failed, or a summary
     * @param heldMillis how long calls were held
     */
    record Outcome(boolean succeeded, String fromVersion, String toVersion, String message, long heldMillis) {
    }
}
