package org.graft.container.internal;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

import org.graft.container.ServiceContainer;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.hooks.service.EventListenerHook;
import org.osgi.framework.hooks.service.FindHook;

/**
 * Starts the container: the listener first (so no managed registration goes unseen), then the hooks
 * (from whose service id on registrations are managed), then the container service.
 *
 * <p>Framework properties: {@value #MANAGED_BUNDLES} (comma-separated symbolic names managed without
 * the header), {@value #MAX_HOLD} (how long a call may be held before it fails, in ms).
 */
public final class ContainerActivator implements BundleActivator {
    static final String MANAGED_BUNDLES = "graft.managed.bundles";
    static final String MAX_HOLD = "graft.hold.max.ms";
    private static final long DEFAULT_MAX_HOLD_MILLIS = 60_000L;

    private ManagedServiceRegistry registry;
    private ManagedRegistrations managed;
    private ServiceRegistration<?> hooks;
    private ServiceRegistration<ServiceContainer> service;

    @Override
    public void start(BundleContext context) throws Exception {
        managed = new ManagedRegistrations(context.getBundle().getBundleId(), configuredNames(context));
        registry = new ManagedServiceRegistry(context, managed, maxHold(context));
        context.addBundleListener(managed);
        context.addServiceListener(registry);
        hooks = context.registerService(new String[] {FindHook.class.getName(), EventListenerHook.class.getName()},
                new RegistryHooks(managed, context.getBundle().getBundleId()), null);
        managed.hooksRegistered((Long) hooks.getReference().getProperty(Constants.SERVICE_ID));
        registry.reportEarlyStarters();
        service = context.registerService(ServiceContainer.class, registry, null);
    }

    @Override
    public void stop(BundleContext context) {
        service.unregister();
        context.removeServiceListener(registry);
        registry.close();
        hooks.unregister();
        context.removeBundleListener(managed);
    }

    private static Set<String> configuredNames(BundleContext context) {
        String names = context.getProperty(MANAGED_BUNDLES);
        if (names == null || names.isBlank()) {
            return Set.of();
        }
        return Arrays.stream(names.split(",")).map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
    }

    private static long maxHold(BundleContext context) {
        String value = context.getProperty(MAX_HOLD);
        if (value == null || value.isBlank()) {
            return DEFAULT_MAX_HOLD_MILLIS;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("framework property " + MAX_HOLD + " must be a number of milliseconds, not '" + value + "'", e);
        }
    }
}
