package org.graft.update.internal.karaf;

import java.io.IOException;

import org.graft.update.internal.OptionalPackages;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/** Reads another bundle's configuration without creating it (and without binding it to Graft). */
final class KarafConfiguration {
    private KarafConfiguration() {
    }

    /** The property of the configuration {@code pid}; null if there is no ConfigAdmin, no such configuration or no such property. */
    static String property(BundleContext context, String pid, String key) throws IOException {
        if (!OptionalPackages.present(OptionalPackages.CONFIG_ADMIN)) {
            return null;
        }
        ServiceReference<ConfigurationAdmin> reference = context.getServiceReference(ConfigurationAdmin.class);
        ConfigurationAdmin admin = reference == null ? null : context.getService(reference);
        if (admin == null) {
            return null;
        }
        try {
            Configuration[] found = admin.listConfigurations("(" + org.osgi.framework.Constants.SERVICE_PID + "=" + pid + ")");
            if (found == null || found.length == 0 || found[0].getProperties() == null) {
                return null;
            }
            Object value = found[0].getProperties().get(key);
            return value == null ? null : value.toString();
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException("not a configuration pid: " + pid, e);
        } finally {
            context.ungetService(reference);
        }
    }
}
