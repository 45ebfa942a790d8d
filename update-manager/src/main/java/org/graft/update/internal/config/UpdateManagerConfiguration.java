package org.graft.update.internal.config;

import java.io.IOException;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import java.util.function.IntSupplier;

import org.graft.container.internal.log.Logs;
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
 * Receives the configuration {@value WatchFolderSettings#PID} from ConfigAdmin and hands on its three
 * parts: the history's bound, which jars updates read, and the watch folder's settings. Only loaded where the ConfigAdmin package
 * is wired (its import is optional).
 */
public final class UpdateManagerConfiguration implements ManagedService {
    private static final System.Logger LOG = Logs.get("org.graft.update.config");

    private final BundleContext context;
    private final IntSupplier maxReportsInForce;
    private final IntConsumer maxReports;
    private final Consumer<JarPolicy> jarPolicy;
    private final Consumer<WatchFolderSettings> watchFolder;

    private UpdateManagerConfiguration(BundleContext context, IntSupplier maxReportsInForce, IntConsumer maxReports,
            Consumer<JarPolicy> jarPolicy, Consumer<WatchFolderSettings> watchFolder) {
        this.context = context;
        this.maxReportsInForce = maxReportsInForce;
        this.maxReports = maxReports;
        this.jarPolicy = jarPolicy;
        this.watchFolder = watchFolder;
    }

    /** Registers the ManagedService; ConfigAdmin then calls back with the configuration, or with null for none. */
    public static ServiceRegistration<?> register(BundleContext context, IntSupplier maxReportsInForce, IntConsumer maxReports,
            Consumer<JarPolicy> jarPolicy, Consumer<WatchFolderSettings> watchFolder) {
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(Constants.SERVICE_PID, WatchFolderSettings.PID);
        return context.registerService(ManagedService.class,
                new UpdateManagerConfiguration(context, maxReportsInForce, maxReports, jarPolicy, watchFolder), properties);
    }

    /**
     * The history's bound at start, before ConfigAdmin calls back (it does so later, on a thread of its
     * own): the journal is read with it, and a bound too small would delete records the configuration
     * keeps. ConfigAdmin's configuration if ConfigAdmin runs already, else the framework property.
     *
     * @throws IllegalArgumentException naming the key whose value is wrong
     */
    public static HistorySettings historyAtStart(BundleContext context) {
        return HistorySettings.fromConfiguration(context, propertiesAtStart(context));
    }

    /**
     * Which jars updates read at start, before ConfigAdmin calls back: a newer version FileInstall starts
     * at boot is applied as soon as the update manager runs, and must meet the configured signature
     * policy already. A configuration that cannot be read refuses every jar until it is fixed (it may
     * have named a keystore: falling back to none would open what it closed).
     */
    public static JarPolicy jarPolicyAtStart(BundleContext context) {
        try {
            return JarPolicy.fromConfiguration(context, propertiesAtStart(context));
        } catch (IllegalArgumentException e) {
            String reason = "the configuration " + WatchFolderSettings.PID + " is invalid (" + e.getMessage() + ")";
            LOG.log(System.Logger.Level.ERROR, "Graft starts with " + reason + ": no update is applied until it is fixed", e);
            return JarPolicy.refusingAll(reason + ", and no update is applied until it is fixed");
        }
    }

    /** ConfigAdmin's properties of the PID if ConfigAdmin runs and has them, else null (the framework properties apply). */
    private static Dictionary<String, Object> propertiesAtStart(BundleContext context) {
        ServiceReference<ConfigurationAdmin> reference = context.getServiceReference(ConfigurationAdmin.class);
        ConfigurationAdmin admin = reference == null ? null : context.getService(reference);
        if (admin == null) {
            return null;
        }
        try {
            Configuration[] found = admin.listConfigurations("(" + Constants.SERVICE_PID + "=" + WatchFolderSettings.PID + ")");
            return found == null ? null : found[0].getProperties();
        } catch (IOException | InvalidSyntaxException e) {
            LOG.log(System.Logger.Level.WARNING, "Graft cannot read the configuration " + WatchFolderSettings.PID + " at start: "
                    + e + ". The framework properties apply until ConfigAdmin hands it over.", e);
            return null;
        } finally {
            context.ungetService(reference);
        }
    }

    /**
     * Applies the configuration whole or not at all: one invalid key leaves every setting of this PID
     * as it was, with an error logged that names the PID, the key and its value.
     */
    @Override
    public void updated(Dictionary<String, ?> properties) throws ConfigurationException {
        HistorySettings history;
        JarPolicy jars;
        WatchFolderSettings settings;
        try {
            history = HistorySettings.fromConfiguration(context, properties);
            jars = JarPolicy.fromConfiguration(context, properties);
            settings = WatchFolderSettings.fromConfiguration(context, properties);
        } catch (IllegalArgumentException e) {
            LOG.log(System.Logger.Level.ERROR, "Graft configuration " + WatchFolderSettings.PID + " is invalid: " + e.getMessage()
                    + ". The history (the last " + maxReportsInForce.getAsInt() + " reports), updates and the watch folder"
                    + " keep their settings.", e);
            throw new ConfigurationException(null, e.getMessage(), e);
        }
        maxReports.accept(history.maxReports());
        jarPolicy.accept(jars);
        watchFolder.accept(settings);
    }
}
