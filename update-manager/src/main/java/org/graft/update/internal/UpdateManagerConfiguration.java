package org.graft.update.internal;

import java.lang.System.Logger.Level;
import java.util.Dictionary;
import java.util.Hashtable;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationException;
import org.osgi.service.cm.ManagedService;

/**
 * Receives the configuration {@value WatchFolderSettings#PID} from ConfigAdmin. Only loaded where the
 * ConfigAdmin package is wired (its import is optional).
 */
final class WatchFolderConfiguration implements ManagedService {
    private final BundleContext context;
    private final WatchFolderControl control;

    private WatchFolderConfiguration(BundleContext context, WatchFolderControl control) {
        this.context = context;
        this.control = control;
    }

    static ServiceRegistration<?> register(BundleContext context, WatchFolderControl control) {
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(Constants.SERVICE_PID, WatchFolderSettings.PID);
        return context.registerService(ManagedService.class, new WatchFolderConfiguration(context, control), properties);
    }

    @Override
    public void updated(Dictionary<String, ?> properties) throws ConfigurationException {
        try {
            control.apply(WatchFolderSettings.fromConfiguration(context, properties));
        } catch (IllegalArgumentException e) {
            System.getLogger("org.graft.update.watch").log(Level.ERROR, "Graft configuration " + WatchFolderSettings.PID
                    + " is invalid: " + e.getMessage(), e);
            throw new ConfigurationException(null, e.getMessage(), e);
        }
    }
}
