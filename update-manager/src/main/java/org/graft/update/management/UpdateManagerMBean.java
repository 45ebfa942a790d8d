package org.graft.update.management;

import javax.management.openmbean.TabularData;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The update manager over JMX, registered as {@code org.apache.karaf:type=dsu,name=<karaf.name>} after
 * Karaf's own MBeans ({@code type=bundle}, {@code type=feature}, ...), so that Karaf's JMX ACL applies
 * to it as to them: {@code etc/jmx.acl.org.apache.karaf.dsu.cfg} (installed with the {@code dsu}
 * feature: reading needs {@code viewer}, changing needs {@code admin}, as in the shell).
 *
 * <p>Every operation calls the same update manager as the {@code dsu:*} commands and prints the same
 * text. An update or rollback made here is recorded as asked through the {@code jmx} channel by the
 * connection's user. One that does not succeed throws an {@link IllegalStateException} whose message
 * is its report in full; invalid input throws an {@link IllegalArgumentException}. Only JDK types
 * cross the connection, so a client needs none of Graft's classes.
 */
@ProviderType
public interface UpdateManagerMBean {
    /** The value of the object name's {@code type} key, and the ACL's PID suffix ({@code jmx.acl.org.apache.karaf.dsu}). */
    String TYPE = "dsu";

    /**
     * The managed services, one row each, indexed by {@code Service} (as {@code dsu:list}): {@code Service},
     * {@code Bundle}, {@code BundleId}, {@code Version}, {@code CallsInFlight}, {@code CallsServed} (by
     * the version serving now, since it began serving), {@code LastUpdateId} (0 if none changed it).
     */
    TabularData getManagedServices();

    /**
     * The kept updates and rollbacks, oldest first (as {@code dsu:history}): {@code Id}, {@code Kind},
     * {@code Outcome}, {@code Change}, {@code StartedAt} and {@code FinishedAt} (epoch ms), {@code HeldMicros},
     * {@code TotalMicros}, {@code Channel}, {@code User}, {@code Message}.
     */
    TabularData getHistory();

    /** The update in progress, or else the last one, in full (as {@code dsu:status}); empty if none has run. */
    String getStatus();

    /** One kept report in full (as {@code dsu:history <id>}). */
    String report(long id);

    /**
     * The plan of updating {@code bundle} (symbolic name or id) to the version at {@code url} (empty: its own
     * location, read again), changing nothing (as {@code dsu:update --dry-run}).
     */
    String plan(String bundle, String url);

    /** Updates {@code bundle} to the version at {@code url} with the default options; its report in full. */
    String update(String bundle, String url);

    /**
     * Updates {@code bundle} to the version at {@code url}: {@code strategy} {@code drain} or {@code coexist}
     * (empty: drain), timeouts in ms (0: the default); its report in full.
     */
    String update(String bundle, String url, String strategy, long drainTimeoutMillis, long transferTimeoutMillis);

    /** Updates the managed bundles of a Karaf feature ({@code name/version}) as one update (as {@code dsu:update --feature}). */
    String updateFeature(String feature);

    /** Rolls {@code bundle} back to the version before its last update, with its state (as {@code dsu:rollback}). */
    String rollback(String bundle);
}
