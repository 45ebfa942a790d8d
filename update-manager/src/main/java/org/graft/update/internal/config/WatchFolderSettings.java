package org.graft.update.internal.config;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Dictionary;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.osgi.framework.BundleContext;

/**
 * Where the watch folder is, how often it is scanned and whether it installs bundles that are not
 * installed yet (off by default: the folder is a channel for updates, and whoever can write it should not
 * thereby be able to add code): from the configuration PID {@value #PID} (keys {@value #FOLDER},
 * {@value #INTERVAL}, {@value #INSTALL_NEW}) where ConfigAdmin runs, else from the framework properties
 * {@code graft.watch.folder}, {@code graft.watch.interval.ms} and {@code graft.watch.install.new}. No folder: no
 * watch folder. {@code ${name}} in the folder is replaced by the framework or system property
 * {@code name} (e.g. {@code ${karaf.base}/dsu}).
 */
public final class WatchFolderSettings {
    public static final String PID = "org.graft.update";
    static final String FOLDER = "watch.folder";
    static final String INTERVAL = "watch.interval.ms";
    public static final String INSTALL_NEW = "watch.install.new";
    static final long DEFAULT_INTERVAL_MILLIS = 1_000L;
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]+)}");

    private final Path folder;
    private final long intervalMillis;
    private final boolean installNew;

    private WatchFolderSettings(Path folder, long intervalMillis, boolean installNew) {
        this.folder = folder;
        this.intervalMillis = intervalMillis;
        this.installNew = installNew;
    }

    public static WatchFolderSettings fromFramework(BundleContext context) {
        return of(context, context.getProperty("graft." + FOLDER), context.getProperty("graft." + INTERVAL),
                context.getProperty("graft." + INSTALL_NEW));
    }

    /** ConfigAdmin's view; a null dictionary (no configuration) falls back to the framework properties. */
    public static WatchFolderSettings fromConfiguration(BundleContext context, Dictionary<String, ?> properties) {
        if (properties == null) {
            return fromFramework(context);
        }
        Object folder = properties.get(FOLDER);
        Object interval = properties.get(INTERVAL);
        Object installNew = properties.get(INSTALL_NEW);
        return of(context, folder == null ? null : folder.toString(), interval == null ? null : interval.toString(),
                installNew == null ? null : installNew.toString());
    }

    /** @throws IllegalArgumentException naming the key whose value is wrong */
    private static WatchFolderSettings of(BundleContext context, String folder, String interval, String installNew) {
        boolean install = false;
        if (installNew != null && !installNew.isBlank()) {
            if (!installNew.trim().equalsIgnoreCase("true") && !installNew.trim().equalsIgnoreCase("false")) {
                throw new IllegalArgumentException(INSTALL_NEW + " must be true or false, not '" + installNew + "'");
            }
            install = Boolean.parseBoolean(installNew.trim());
        }
        long intervalMillis = DEFAULT_INTERVAL_MILLIS;
        if (interval != null && !interval.isBlank()) {
            try {
                intervalMillis = Long.parseLong(interval.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(INTERVAL + " must be a number of milliseconds, not '" + interval + "'", e);
            }
            if (intervalMillis <= 0) {
                throw new IllegalArgumentException(INTERVAL + " must be positive, not " + intervalMillis);
            }
        }
        if (folder == null || folder.isBlank()) {
            return new WatchFolderSettings(null, intervalMillis, install);
        }
        return new WatchFolderSettings(Paths.get(expand(context, folder.trim())).toAbsolutePath(), intervalMillis, install);
    }

    /** The folder, or null for none. */
    public Path folder() {
        return folder;
    }

    public long intervalMillis() {
        return intervalMillis;
    }

    /** Whether a jar of a bundle not installed at all is installed and started, rather than set aside. */
    public boolean installNew() {
        return installNew;
    }

    private static String expand(BundleContext context, String value) {
        Matcher matcher = PLACEHOLDER.matcher(value);
        StringBuilder expanded = new StringBuilder();
        while (matcher.find()) {
            String replacement = context.getProperty(matcher.group(1));
            if (replacement == null) {
                throw new IllegalArgumentException(FOLDER + " '" + value + "' names ${" + matcher.group(1) + "}, which is not set");
            }
            matcher.appendReplacement(expanded, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(expanded);
        return expanded.toString();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof WatchFolderSettings && Objects.equals(folder, ((WatchFolderSettings) other).folder)
                && intervalMillis == ((WatchFolderSettings) other).intervalMillis && installNew == ((WatchFolderSettings) other).installNew;
    }

    @Override
    public int hashCode() {
        return Objects.hash(folder, intervalMillis, installNew);
    }

    @Override
    public String toString() {
        return folder == null ? "no watch folder" : folder + " every " + intervalMillis + " ms" + (installNew ? ", installing new bundles" : "");
    }
}
