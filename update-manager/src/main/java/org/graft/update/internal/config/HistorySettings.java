package org.graft.update.internal.config;

import java.lang.System.Logger.Level;
import java.util.Dictionary;
import java.util.function.Supplier;

import org.graft.container.internal.log.Logs;
import org.osgi.framework.BundleContext;

/**
 * How many update reports the history keeps, in memory and in the journal: from the configuration
 * PID {@value WatchFolderSettings#PID} (key {@value #MAX_REPORTS}) where ConfigAdmin runs, else from
 * the framework property {@code graft.history.max.reports}.
 */
public final class HistorySettings {
    public static final String MAX_REPORTS = "history.max.reports";
    /**
     * Enough for months of updates at a few a week, so a rollback almost always finds the update it
     * undoes; about 0.3 MB of heap and 100 small files, read in well under a second at start.
     */
    public static final int DEFAULT_MAX_REPORTS = 100;

    private final int maxReports;

    private HistorySettings(int maxReports) {
        this.maxReports = maxReports;
    }

    public static HistorySettings fromFramework(BundleContext context) {
        return of(context.getProperty("graft." + MAX_REPORTS));
    }

    /** ConfigAdmin's view; a null dictionary (no configuration) falls back to the framework properties. */
    public static HistorySettings fromConfiguration(BundleContext context, Dictionary<String, ?> properties) {
        if (properties == null) {
            return fromFramework(context);
        }
        Object maxReports = properties.get(MAX_REPORTS);
        return of(maxReports == null ? null : maxReports.toString());
    }

    /**
     * The bound that {@code settings} gives, or, if they are invalid, {@code inForce}, with an error
     * logged that names the key, the bad value and the bound kept instead.
     */
    public static int maxReportsOr(int inForce, Supplier<HistorySettings> settings) {
        try {
            return settings.get().maxReports();
        } catch (IllegalArgumentException e) {
            Logs.get("org.graft.update.config").log(Level.ERROR, "Graft configuration " + WatchFolderSettings.PID
                    + " is invalid: " + e.getMessage() + ". The history keeps the last " + inForce + " reports instead.", e);
            return inForce;
        }
    }

    /** @throws IllegalArgumentException naming the key and its wrong value */
    private static HistorySettings of(String maxReports) {
        if (maxReports == null || maxReports.isBlank()) {
            return new HistorySettings(DEFAULT_MAX_REPORTS);
        }
        int parsed;
        try {
            parsed = Integer.parseInt(maxReports.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(MAX_REPORTS + " must be a whole number of reports, not '" + maxReports + "'", e);
        }
        if (parsed <= 0) {
            throw new IllegalArgumentException(MAX_REPORTS + " must be positive, not " + parsed);
        }
        return new HistorySettings(parsed);
    }

    public int maxReports() {
        return maxReports;
    }

    @Override
    public String toString() {
        return "the last " + maxReports + " reports";
    }
}
