package org.graft.container.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import org.graft.transformer.Managed;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.SynchronousBundleListener;

/**
 * Decides which service registrations the container takes over. The hooks and the registry ask the
 * same question of the same reference, so a registration is either hidden and proxied, or left alone.
 *
 * <p>A registration is managed when its bundle opted in (the {@code Graft-Managed} header, or a name
 * in the configured list), it has an identity ({@code graft.id} or {@code component.name}), it is not
 * prototype-scoped (one instance serves every consumer through the proxy; DS registers its delayed
 * singleton components as bundle-scoped factories, which hand every bundle that same instance), and it
 * was registered after the container's hooks were in place: an earlier one was already seen by consumers.
 */
final class ManagedRegistrations implements SynchronousBundleListener {
    static final String COMPONENT_NAME = "component.name";

    private final long containerBundleId;
    /** Symbolic names managed without the header; replaced by configuration updates. */
    private volatile Set<String> configuredNames;
    /** Opt-in per bundle id; a bundle's headers do not change until it is updated or uninstalled. */
    private final ConcurrentMap<Long, Boolean> optedIn = new ConcurrentHashMap<>();
    /** Service ids below this were registered before the hooks: never managed. MAX until the hooks exist. */
    private volatile long firstManagedServiceId = Long.MAX_VALUE;

    ManagedRegistrations(long containerBundleId, Set<String> configuredNames) {
        this.containerBundleId = containerBundleId;
        this.configuredNames = Set.copyOf(configuredNames);
    }

    /**
     * New names to manage without the header. Registrations already made keep what they were: a
     * service consumers already use directly cannot be put behind a proxy without restarting them.
     */
    void configure(Set<String> names) {
        configuredNames = Set.copyOf(names);
        optedIn.clear();
    }

    void hooksRegistered(long hookServiceId) {
        firstManagedServiceId = hookServiceId;
    }

    boolean isManagedBundle(Bundle bundle) {
        return optedIn.computeIfAbsent(bundle.getBundleId(), id -> readOptIn(bundle));
    }

    private boolean readOptIn(Bundle bundle) {
        Object header = bundle.getHeaders("").get(Managed.HEADER);
        return "true".equalsIgnoreCase(header == null ? null : header.toString().trim())
                || configuredNames.contains(bundle.getSymbolicName());
    }

    boolean isManaged(ServiceReference<?> reference) {
        Bundle bundle = reference.getBundle();
        if (bundle == null || bundle.getBundleId() == containerBundleId) {
            return false;
        }
        Object serviceId = reference.getProperty(Constants.SERVICE_ID);
        if (!(serviceId instanceof Long) || (Long) serviceId < firstManagedServiceId) {
            return false;
        }
        return isManagedBundle(bundle) && identity(reference) != null
                && !Constants.SCOPE_PROTOTYPE.equals(reference.getProperty(Constants.SERVICE_SCOPE));
    }

    /** Whether the registration would be managed but predates the container. */
    boolean predatesContainer(ServiceReference<?> reference) {
        Bundle bundle = reference.getBundle();
        Object serviceId = reference.getProperty(Constants.SERVICE_ID);
        return bundle != null && bundle.getBundleId() != containerBundleId && serviceId instanceof Long
                && (Long) serviceId < firstManagedServiceId && isManagedBundle(bundle) && identity(reference) != null;
    }

    static String identity(ServiceReference<?> reference) {
        Object id = reference.getProperty(Managed.IDENTITY_PROPERTY);
        if (id == null) {
            id = reference.getProperty(COMPONENT_NAME);
        }
        return id == null ? null : id.toString();
    }

    @Override
    public void bundleChanged(BundleEvent event) {
        if (event.getType() == BundleEvent.UPDATED || event.getType() == BundleEvent.UNINSTALLED) {
            optedIn.remove(event.getBundle().getBundleId());
        }
    }
}
