package org.graft.update.internal.config;

import java.util.Arrays;
import java.util.Dictionary;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import org.osgi.framework.BundleContext;

/**
 * Which jars an update may read: the URL schemes a request may name (by default {@code file:} and
 * {@code mvn:} only, so that {@code dsu:update} is not a way to make Karaf fetch {@code http:} or
 * {@code ftp:} URLs, or read {@code file:/proc/self/environ} into an error message from anywhere), and
 * the largest jar read, so that no file fills the heap. From the configuration PID
 * {@value WatchFolderSettings#PID} (keys {@value #SCHEMES}, {@value #MAX_MB}) where ConfigAdmin runs,
 * else from the framework properties {@code graft.update.location.schemes} and {@code graft.jar.max.mb}.
 */
public final class JarPolicy {
    public static final String SCHEMES = "update.location.schemes";
    public static final String MAX_MB = "jar.max.mb";
    /** Any scheme: {@code update.location.schemes = *}. */
    private static final String ANY = "*";
    private static final Set<String> DEFAULT_SCHEMES = Set.of("file", "mvn");
    /** Far above any bundle seen in a Karaf distribution (the largest, a few MB), far below a heap. */
    static final long DEFAULT_MAX_MB = 64L;
    public static final JarPolicy DEFAULT = new JarPolicy(DEFAULT_SCHEMES, DEFAULT_MAX_MB * 1024L * 1024L);

    /** Empty for any scheme. */
    private final Set<String> schemes;
    private final long maxBytes;

    private JarPolicy(Set<String> schemes, long maxBytes) {
        this.schemes = schemes;
        this.maxBytes = maxBytes;
    }

    public static JarPolicy fromFramework(BundleContext context) {
        return of(context.getProperty("graft." + SCHEMES), context.getProperty("graft." + MAX_MB));
    }

    /** ConfigAdmin's view; a null dictionary (no configuration) falls back to the framework properties. */
    public static JarPolicy fromConfiguration(BundleContext context, Dictionary<String, ?> properties) {
        if (properties == null) {
            return fromFramework(context);
        }
        Object schemes = properties.get(SCHEMES);
        Object maxMb = properties.get(MAX_MB);
        return of(schemes == null ? null : schemes.toString(), maxMb == null ? null : maxMb.toString());
    }

    /** @throws IllegalArgumentException naming the key and its wrong value */
    static JarPolicy of(String schemes, String maxMb) {
        Set<String> allowed = DEFAULT_SCHEMES;
        if (schemes != null && !schemes.isBlank()) {
            allowed = Arrays.stream(schemes.split(",")).map(s -> s.trim().toLowerCase(Locale.ROOT)).filter(s -> !s.isEmpty())
                    .collect(Collectors.toCollection(LinkedHashSet::new));
            for (String scheme : allowed) {
                if (!scheme.equals(ANY) && !scheme.matches("[a-z][a-z0-9+.-]*")) {
                    throw new IllegalArgumentException(SCHEMES + " must list URL schemes (file, mvn, https, ...) or *, not '" + schemes + "'");
                }
            }
            if (allowed.contains(ANY)) {
                allowed = Set.of();
            }
        }
        long max = DEFAULT_MAX_MB;
        if (maxMb != null && !maxMb.isBlank()) {
            try {
                max = Long.parseLong(maxMb.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(MAX_MB + " must be a whole number of MB, not '" + maxMb + "'", e);
            }
            // A jar is read into one array: beyond 2 GB the JVM cannot hold it.
            if (max <= 0 || max > 2047) {
                throw new IllegalArgumentException(MAX_MB + " must be between 1 and 2047 MB, not " + max);
            }
        }
        return new JarPolicy(Set.copyOf(allowed), max * 1024L * 1024L);
    }

    /**
     * @throws IllegalArgumentException naming the location and the key that would allow it, if a request
     *         may not name it
     */
    public void checkLocation(String location) {
        if (schemes.isEmpty() || location == null) {
            return;
        }
        int colon = location.indexOf(':');
        String scheme = colon <= 0 ? "" : location.substring(0, colon).toLowerCase(Locale.ROOT);
        if (!schemes.contains(scheme)) {
            throw new IllegalArgumentException("'" + location + "' is not read: updates read only " + describeSchemes()
                    + " locations (the key " + SCHEMES + " of the configuration " + WatchFolderSettings.PID + " allows others)");
        }
    }

    /** The largest jar an update or the watch folder reads, in bytes. */
    public long maxBytes() {
        return maxBytes;
    }

    private String describeSchemes() {
        return schemes.stream().sorted().map(s -> s + ":").collect(Collectors.joining(" and "));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof JarPolicy && schemes.equals(((JarPolicy) other).schemes) && maxBytes == ((JarPolicy) other).maxBytes;
    }

    @Override
    public int hashCode() {
        return schemes.hashCode() * 31 + Long.hashCode(maxBytes);
    }

    @Override
    public String toString() {
        return (schemes.isEmpty() ? "any location" : describeSchemes() + " locations") + ", jars up to " + maxBytes / (1024 * 1024) + " MB";
    }
}
