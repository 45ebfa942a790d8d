package org.graft.container.internal;

import java.lang.System.Logger.Level;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.function.Consumer;

import org.graft.container.internal.log.Logs;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationException;
import org.osgi.service.cm.ManagedService;

/**
 * Receives the configuration {@value ContainerSettings#PID} from ConfigAdmin. Only loaded where the
 * ConfigAdmin package is wired (its import is optional; see {@link ContainerActivator}).
 */
final class ContainerConfiguration implements ManagedService {
    private final BundleContext context;
    private final Consumer<ContainerSettings> apply;

    private ContainerConfiguration(BundleContext context, Consumer<ContainerSettings> apply) {
        this.context = context;
        this.apply = apply;
    }

    static ServiceRegistration<?> register(BundleContext context, Consumer<ContainerSettings> apply) {
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(Constants.SERVICE_PID, ContainerSettings.PID);
        return context.registerService(ManagedService.class, new ContainerConfiguration(context, apply), properties);
    }

    @Override
    public void updated(Dictionary<String, ?> properties) throws ConfigurationException {
        try {
            apply.accept(ContainerSettings.fromConfiguration(context, properties));
        } catch (IllegalArgumentException e) {
            Logs.get("org.graft.container").log(Level.ERROR, "Graft configuration " + ContainerSettings.PID
                    + " is invalid, the previous settings stay: " + e.getMessage(), e);
            throw new ConfigurationException(null, e.getMessage(), e);
        }
    }
}
