package org.graft.container.internal;

import java.util.Collection;
import java.util.Map;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.hooks.service.EventListenerHook;
import org.osgi.framework.hooks.service.FindHook;
import org.osgi.framework.hooks.service.ListenerHook.ListenerInfo;

/**
 * Hides managed originals from every bundle but the container and the system bundle: consumers
 * neither find them nor hear of them, so they see only the proxy, which never goes away during an
 * update (no UNREGISTERING, no consumer restart).
 */
final class RegistryHooks implements FindHook, EventListenerHook {
    private final ManagedRegistrations managed;
    private final long containerBundleId;

    RegistryHooks(ManagedRegistrations managed, long containerBundleId) {
        this.managed = managed;
        this.containerBundleId = containerBundleId;
    }

    @Override
    public void find(BundleContext context, String name, String filter, boolean allServices,
            Collection<ServiceReference<?>> references) {
        if (!exempt(context.getBundle())) {
            references.removeIf(managed::isManaged);
        }
    }

    @Override
    public void event(ServiceEvent event, Map<BundleContext, Collection<ListenerInfo>> listeners) {
        if (managed.isManaged(event.getServiceReference())) {
            listeners.keySet().removeIf(context -> !exempt(context.getBundle()));
        }
    }

    private boolean exempt(Bundle bundle) {
        return bundle.getBundleId() == 0L || bundle.getBundleId() == containerBundleId;
    }
}
