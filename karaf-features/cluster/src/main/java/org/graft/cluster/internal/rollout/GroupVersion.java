package org.graft.cluster.internal.rollout;

/**
 * The version of a managed bundle a group runs, the outcome of its last final rollout: a node that joins or
 * restarts converges to it through Graft's own update (or rollback), never a plain install.
 *
 * @param group the group
 * @param bundle the bundle's symbolic name
 * @param version the version the group runs
 * @param location where that version is read from
 * @param rolloutId the rollout that left the group on it
 */
public record GroupVersion(String group, String bundle, String version, String location, String rolloutId) {
}
