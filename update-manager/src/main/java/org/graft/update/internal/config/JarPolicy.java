package org.graft.update.internal.config;

import java.util.Arrays;
import java.util.Dictionary;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import org.graft.update.internal.trust.SignaturePolicy;
import org.osgi.framework.BundleContext;

/**
 * Which jars an update may read: the URL schemes a request may name (by default {@code file:} and
 * {@code mvn:} only, so that {@code dsu:update} is not a way to make Karaf fetch {@code http:} or
 * {@code ftp:} URLs, or read {@code file:/proc/self/environ} into an error message from anywhere), and
 * the largest jar read, so that no file fills the heap, and whose signatures a jar must carry (none
 * unless a keystore is configured). From the configuration PID {@value WatchFolderSettings#PID} (keys
 * {@value #SCHEMES}, {@value #MAX_MB}, {@value #KEYSTORE}, {@value #KEYSTORE_PASSWORD}) where ConfigAdmin
 * runs, else from the framework properties of the same names prefixed with {@code graft.}.
 */
public final class JarPolicy {
    public static final String SCHEMES = "update.location.schemes";
    public static final String MAX_MB = "jar.max.mb";
    public static final String KEYSTORE = "signature.keystore";
    public static final String KEYSTORE_PASSWORD = "signature.keystore.password";
    /** Any scheme: {@code update.location.schemes = *}. */
    private static final String ANY = "*";
    private static final Set<String> DEFAULT_SCHEMES = Set.of("file", "mvn");
    /** Far above any bundle seen in a Karaf distribution (the largest, a few MB), far below a heap. */
    static final long DEFAULT_MAX_MB = 64L;
    public static final JarPolicy DEFAULT = new JarPolicy(DEFAULT_SCHEMES, DEFAULT_MAX_MB * 1024L * 1024L, SignaturePolicy.NONE);

    /** Empty for any scheme. */
    private final Set<String> schemes;
    private final long maxBytes;
    private final SignaturePolicy signatures;

    private JarPolicy(Set<String> schemes, long maxBytes, SignaturePolicy signatures) {
        this.schemes = schemes;
        this.maxBytes = maxBytes;
        this.signatures = signatures;
    }

    /** A policy under which no jar is applied, and why: see {@link SignaturePolicy#refusingAll}. */
    public static JarPolicy refusingAll(String reason) {
        return new JarPolicy(DEFAULT_SCHEMES, DEFAULT_MAX_MB * 1024L * 1024L, SignaturePolicy.refusingAll(reason));
    }

    public static JarPolicy fromFramework(BundleContext context) {
        return of(context.getProperty("graft." + SCHEMES), context.getProperty("graft." + MAX_MB),
                SignaturePolicy.of(context.getProperty("graft." + KEYSTORE), context.getProperty("graft." + KEYSTORE_PASSWORD),
                        "graft." + KEYSTORE, "graft." + KEYSTORE_PASSWORD, "the framework properties"));
    }

    /** ConfigAdmin's view; a null dictionary (no configuration) falls back to the framework properties. */
    public static JarPolicy fromConfiguration(BundleContext context, Dictionary<String, ?> properties) {
        if (properties == null) {
            return fromFramework(context);
        }
        return of(string(properties, SCHEMES), string(properties, MAX_MB),
                SignaturePolicy.of(string(properties, KEYSTORE), string(properties, KEYSTORE_PASSWORD), KEYSTORE, KEYSTORE_PASSWORD,
                        "the configuration " + WatchFolderSettings.PID));
    }

    private static String string(Dictionary<String, ?> properties, String key) {
        Object value = properties.get(key);
        return value == null ? null : value.toString();
    }

    static JarPolicy of(String schemes, String maxMb) {
        return of(schemes, maxMb, SignaturePolicy.NONE);
    }

    /** @throws IllegalArgumentException naming the key and its wrong value */
    static JarPolicy of(String schemes, String maxMb, SignaturePolicy signatures) {
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
        return new JarPolicy(Set.copyOf(allowed), max * 1024L * 1024L, signatures);
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

    /** Which signatures a jar must carry to be applied. */
    public SignaturePolicy signatures() {
        return signatures;
    }

    private String describeSchemes() {
        return schemes.stream().sorted().map(s -> s + ":").collect(Collectors.joining(" and "));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof JarPolicy && schemes.equals(((JarPolicy) other).schemes) && maxBytes == ((JarPolicy) other).maxBytes
                && signatures.equals(((JarPolicy) other).signatures);
    }

    @Override
    public int hashCode() {
        return (schemes.hashCode() * 31 + Long.hashCode(maxBytes)) * 31 + signatures.hashCode();
    }

    @Override
    public String toString() {
        return (schemes.isEmpty() ? "any location" : describeSchemes() + " locations") + ", jars up to " + maxBytes / (1024 * 1024) + " MB, " + signatures;
    }
}
