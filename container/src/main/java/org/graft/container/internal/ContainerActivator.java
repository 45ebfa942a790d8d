package org.graft.container.internal;

import org.graft.container.ServiceContainer;
import org.graft.container.internal.log.Logs;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.hooks.service.EventListenerHook;
import org.osgi.framework.hooks.service.FindHook;

/**
 * Starts the container: the listener first (so no managed registration goes unseen), then the hooks
 * (from whose service id on registrations are managed), then the container service. Settings come
 * from ConfigAdmin where it runs, else from framework properties (see {@link ContainerSettings}).
 */
public final class ContainerActivator implements BundleActivator {
    private static final String CONFIG_ADMIN = "org.osgi.service.cm.ManagedService";

    private ManagedServiceRegistry registry;
    private ManagedRegistrations managed;
    private ServiceRegistration<?> hooks;
    private ServiceRegistration<?> configuration;
    private ServiceRegistration<ServiceContainer> service;

    @Override
    public void start(BundleContext context) throws Exception {
        Logs.bind(context);
        ContainerSettings settings = ContainerSettings.fromFramework(context);
        managed = new ManagedRegistrations(context, settings.managedBundles, settings.identityProperty);
        registry = new ManagedServiceRegistry(context, managed, settings);
        context.addBundleListener(managed);
        context.addServiceListener(registry);
        hooks = context.registerService(new String[] {FindHook.class.getName(), EventListenerHook.class.getName()},
                new RegistryHooks(managed, context.getBundle().getBundleId()), null);
        managed.hooksRegistered((Long) hooks.getReference().getProperty(Constants.SERVICE_ID));
        registry.reportEarlyStarters();
        if (configAdminWired()) {
            configuration = ContainerConfiguration.register(context, this::apply);
        }
        service = context.registerService(ServiceContainer.class, registry, null);
    }

    private void apply(ContainerSettings settings) {
        managed.configure(settings.managedBundles, settings.identityProperty);
        registry.configure(settings);
    }

    /** Asked here, not in ContainerConfiguration, which cannot even be loaded without the package. */
    private static boolean configAdminWired() {
        try {
            Class.forName(CONFIG_ADMIN, false, ContainerActivator.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError absent) {
            return false;
        }
    }

    @Override
    public void stop(BundleContext context) {
        if (configuration != null) {
            configuration.unregister();
        }
        service.unregister();
        context.removeServiceListener(registry);
        registry.close();
        hooks.unregister();
        context.removeBundleListener(managed);
        Logs.unbind();
    }
}
