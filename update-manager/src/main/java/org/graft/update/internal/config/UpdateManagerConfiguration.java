package org.graft.update.internal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.Dictionary;
import java.util.Hashtable;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationException;
import org.osgi.service.cm.ManagedService;

/**
 * Receives the configuration {@value WatchFolderSettings#PID} from ConfigAdmin: the watch folder's
 * settings and the history's bound. Only loaded where the ConfigAdmin package is wired (its import
 * is optional).
 */
final class UpdateManagerConfiguration implements ManagedService {
    private final BundleContext context;
    private final WatchFolderControl control;
    private final UpdateManagerImpl manager;

    private UpdateManagerConfiguration(BundleContext context, WatchFolderControl control, UpdateManagerImpl manager) {
        this.context = context;
        this.control = control;
        this.manager = manager;
    }

    static ServiceRegistration<?> register(BundleContext context, WatchFolderControl control, UpdateManagerImpl manager) {
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(Constants.SERVICE_PID, WatchFolderSettings.PID);
        return context.registerService(ManagedService.class, new UpdateManagerConfiguration(context, control, manager), properties);
    }

    /**
     * The history's bound at start, before ConfigAdmin calls back (it does so later, on a thread of its
     * own): the journal is read with it, and a bound too small would delete records the configuration
     * keeps. ConfigAdmin's configuration if ConfigAdmin runs already, else the framework property.
     *
     * @throws IllegalArgumentException naming the key whose value is wrong
     */
    static HistorySettings historyAtStart(BundleContext context) {
        ServiceReference<ConfigurationAdmin> reference = context.getServiceReference(ConfigurationAdmin.class);
        ConfigurationAdmin admin = reference == null ? null : context.getService(reference);
        if (admin == null) {
            return HistorySettings.fromFramework(context);
        }
        try {
            Configuration[] found = admin.listConfigurations("(" + Constants.SERVICE_PID + "=" + WatchFolderSettings.PID + ")");
            return HistorySettings.fromConfiguration(context, found == null ? null : found[0].getProperties());
        } catch (IOException | InvalidSyntaxException e) {
            System.getLogger("org.graft.update").log(Level.WARNING, "Graft cannot read the configuration "
                    + WatchFolderSettings.PID + " at start: " + e + ". The history starts with the framework's bound.", e);
            return HistorySettings.fromFramework(context);
        } finally {
            context.ungetService(reference);
        }
    }

    @Override
    public void updated(Dictionary<String, ?> properties) throws ConfigurationException {
        manager.maxReports(HistorySettings.maxReportsOr(manager.maxReports(),
                () -> HistorySettings.fromConfiguration(context, properties)));
        try {
            control.apply(WatchFolderSettings.fromConfiguration(context, properties));
        } catch (IllegalArgumentException e) {
            System.getLogger("org.graft.update.watch").log(Level.ERROR, "Graft configuration " + WatchFolderSettings.PID
                    + " is invalid: " + e.getMessage(), e);
            throw new ConfigurationException(null, e.getMessage(), e);
        }
    }
}
