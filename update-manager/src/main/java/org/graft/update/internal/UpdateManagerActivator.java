package org.graft.update.internal;

import java.io.IOException;
import java.io.UncheckedIOException;

import org.graft.container.ServiceContainer;
import org.graft.container.internal.log.Logs;
import org.graft.update.UpdateManager;
import org.graft.update.internal.config.HistorySettings;
import org.graft.update.internal.config.UpdateManagerConfiguration;
import org.graft.update.internal.config.WatchFolderSettings;
import org.graft.update.internal.events.UpdateEvents;
import org.graft.update.internal.journal.BundleArchive;
import org.graft.update.internal.journal.Journal;
import org.graft.update.internal.karaf.FeaturesProvisioning;
import org.graft.update.internal.planning.FeatureSource;
import org.graft.update.internal.transaction.Provisioning;
import org.graft.update.internal.transaction.UpdateObserver;
import org.graft.update.internal.watch.WatchFolderControl;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.util.tracker.ServiceTracker;

/** Offers the UpdateManager, and runs its watch folder, while the Graft container is there. */
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

            @Override
            public UpdateManagerImpl addingService(ServiceReference<ServiceContainer> reference) {
                if (registration != null) {
                    return null; // one container per framework; a second one is not used
                }
                ServiceContainer container = context.getService(reference);
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
                    foreignChanges = new ForeignBundleChanges(container, manager);
                    context.addBundleListener(foreignChanges);
                    manager.recover();
                    registration = context.registerService(UpdateManager.class, manager, null);
                    watchFolder = new WatchFolderControl(context, container, manager);
                    if (configAdmin) {
                        configuration = UpdateManagerConfiguration.register(context, manager::maxReports, manager::maxReports,
                                watchFolder::apply);
                    } else {
                        watchFolder.apply(WatchFolderSettings.fromFramework(context));
                    }
                    return manager;
                } catch (IOException e) {
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
                registration.unregister();
                registration = null;
                manager.close();
                context.ungetService(reference);
            }
        };
        tracker.open();
    }

    @Override
    public void stop(BundleContext context) {
        tracker.close();
        Logs.unbind();
    }
}
