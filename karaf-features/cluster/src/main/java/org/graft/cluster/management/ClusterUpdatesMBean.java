package org.graft.cluster.management;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Rolling updates across a Cellar group over JMX, registered as
 * {@code org.apache.karaf:type=dsucluster,name=<karaf.name>}, so that Karaf's JMX ACL applies to it:
 * {@code etc/jmx.acl.org.apache.karaf.dsucluster.cfg} (installed with {@code dsu-cluster}: reading
 * needs {@code viewer}, changing needs {@code admin}, as in the shell).
 *
 * <p>Every operation does what the {@code dsu:cluster-*} command of the same name does and returns the
 * same text. A rollout or rollback that does not end as asked throws an {@link IllegalStateException}
 * whose message is that text. Only JDK types cross the connection.
 */
@ProviderType
public interface ClusterUpdatesMBean {
    /**
     * The value of the object name's {@code type} key, and the ACL's PID suffix: one word, since Felix
     * FileInstall reads a '-' in a configuration file's name as the start of a factory configuration's
     * name, so that {@code jmx.acl.org.apache.karaf.dsu-cluster.cfg} would never be that PID.
     */
    String TYPE = "dsucluster";

    /**
     * Updates {@code bundle} to the version at {@code url} on every node of {@code group}, one at a time
     * (as {@code dsu:cluster-update}).
     *
     * @param order node ids, comma-separated, every node of the group once; empty for sorted by id
     * @param claimTimeoutMillis 0 for the default (10 s)
     * @param updateTimeoutMillis 0 for the default (120 s)
     * @param probeMillis 0 for no probe
     */
    String clusterUpdate(String group, String bundle, String url, String order, long claimTimeoutMillis,
            long updateTimeoutMillis, long probeMillis);

    /** The group's last rollout (as {@code dsu:cluster-status}). */
    String clusterStatus(String group);

    /** Rolls back the group's last rollout (as {@code dsu:cluster-rollback}). */
    String clusterRollback(String group);
}
