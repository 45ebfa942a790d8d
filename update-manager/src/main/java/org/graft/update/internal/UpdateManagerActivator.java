package org.graft.update.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Set;

import javax.management.DynamicMBean;
import javax.management.NotCompliantMBeanException;

import org.graft.container.ServiceContainer;
import org.graft.container.internal.log.Logs;
import org.graft.update.UpdateManager;
import org.graft.update.internal.config.HistorySettings;
import org.graft.update.internal.config.JarPolicy;
import org.graft.update.internal.config.UpdateManagerConfiguration;
import org.graft.update.internal.config.WatchFolderSettings;
import org.graft.update.internal.events.UpdateEvents;
import org.graft.update.internal.journal.BundleArchive;
import org.graft.update.internal.jmx.UpdateManagerMBeanImpl;
import org.graft.update.internal.journal.Journal;
import org.graft.update.internal.karaf.FeaturesProvisioning;
import org.graft.update.internal.planning.FeatureSource;
import org.graft.update.internal.transaction.DryRunInstalls;
import org.graft.update.internal.transaction.Provisioning;
import org.graft.update.internal.transaction.UpdateObserver;
import org.graft.update.internal.watch.WatchFolderControl;
import org.graft.update.management.UpdateManagerMBean;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.hooks.bundle.EventHook;
import org.osgi.framework.hooks.bundle.FindHook;
import org.osgi.util.tracker.ServiceTracker;

/** Offers the UpdateManager and its MBean, and runs its watch folder, while the Graft container is there. */
public final class UpdateManagerActivator implements BundleActivator {
    private ServiceTracker<ServiceContainer, UpdateManagerImpl> tracker;

    @Override
    public void start(BundleContext context) {
        Logs.bind(context);
        tracker = new ServiceTracker<>(context, ServiceContainer.class, null) {
            private ServiceRegistration<UpdateManager> registration;
            private WatchFolderControl watchFolder;
            private ServiceRegistration<?> configuration;
            private ForeignBundleChanges foreignChanges;
            private ServiceRegistration<?> mbean;
            private ServiceRegistration<?> dryRunHooks;

            @Override
            public UpdateManagerImpl addingService(ServiceReference<ServiceContainer> reference) {
                if (registration != null) {
                    return null; // one container per framework; a second one is not used
                }
                ServiceContainer container = context.getService(reference);
                // the framework and Graft's two bundles see what a dry run installs; no other bundle does
                dryRunHooks = context.registerService(new String[] {EventHook.class.getName(), FindHook.class.getName()},
                        new DryRunInstalls(Set.of(Constants.SYSTEM_BUNDLE_ID, context.getBundle().getBundleId(),
                                reference.getBundle().getBundleId())), null);
                try {
                    Journal journal = new Journal(context.getDataFile("journal").toPath());
                    BundleArchive archive = new BundleArchive(context.getDataFile("archive").toPath());
                    boolean configAdmin = OptionalPackages.present(OptionalPackages.CONFIG_ADMIN);
                    int maxReports = HistorySettings.maxReportsOr(HistorySettings.DEFAULT_MAX_REPORTS, () -> configAdmin
                            ? UpdateManagerConfiguration.historyAtStart(context) : HistorySettings.fromFramework(context));
                    FeaturesProvisioning karaf = OptionalPackages.present(OptionalPackages.FEATURES_SERVICE)
                            ? new FeaturesProvisioning(context, context.getDataFile("provisioned").toPath()) : null;
                    Provisioning provisioning = karaf == null ? Provisioning.NONE : karaf;
                    UpdateManagerImpl manager = new UpdateManagerImpl(context, container, journal, archive, maxReports,
                            provisioning, karaf == null ? FeatureSource.NONE : karaf,
                            OptionalPackages.present(OptionalPackages.EVENT_ADMIN) ? new UpdateEvents(context) : UpdateObserver.NONE);
                    // Before anything can ask for an update: a jar FileInstall starts at boot is adopted at once.
                    manager.jarPolicy(configAdmin ? UpdateManagerConfiguration.jarPolicyAtStart(context) : JarPolicy.fromFramework(context));
                    foreignChanges = new ForeignBundleChanges(container, manager);
                    context.addBundleListener(foreignChanges);
                    manager.recover();
                    registration = context.registerService(UpdateManager.class, manager, null);
                    mbean = registerMBean(context, manager);
                    watchFolder = new WatchFolderControl(context, container, manager, manager::jarPolicy,
                            manager::takeInterrupted);
                    if (configAdmin) {
                        configuration = UpdateManagerConfiguration.register(context, manager::maxReports, manager::maxReports,
                                manager::jarPolicy, watchFolder::apply);
                    } else {
                        watchFolder.apply(WatchFolderSettings.fromFramework(context));
                    }
                    return manager;
                } catch (IOException e) {
                    dryRunHooks.unregister();
                    context.ungetService(reference);
                    throw new UncheckedIOException("Graft's update manager cannot use its data area: " + e.getMessage(), e);
                }
            }

            @Override
            public void removedService(ServiceReference<ServiceContainer> reference, UpdateManagerImpl manager) {
                context.removeBundleListener(foreignChanges);
                if (configuration != null) {
                    configuration.unregister();
                    configuration = null;
                }
                watchFolder.close();
                mbean.unregister();
                registration.unregister();
                registration = null;
                manager.close();
                dryRunHooks.unregister();
                context.ungetService(reference);
            }
        };
        tracker.open();
    }

    /**
     * Offers the MBean as a service named by its object name: Karaf's JMX whiteboard (Aries JMX) puts
     * such services into the platform MBean server, as it does Karaf's own MBeans; elsewhere it is unused.
     */
    private static ServiceRegistration<?> registerMBean(BundleContext context, UpdateManager manager) {
        try {
            Dictionary<String, Object> properties = new Hashtable<>();
            String karafName = context.getProperty("karaf.name");
            properties.put("jmx.objectname", UpdateManagerMBeanImpl.objectName(karafName == null ? "graft" : karafName));
            return context.registerService(new String[] {UpdateManagerMBean.class.getName(), DynamicMBean.class.getName()},
                    new UpdateManagerMBeanImpl(manager), properties);
        } catch (NotCompliantMBeanException e) {
            throw new IllegalStateException("Graft's MBean is not a compliant MBean: " + e.getMessage(), e);
        }
    }

    @Override
    public void stop(BundleContext context) {
        tracker.close();
        Logs.unbind();
    }
}
