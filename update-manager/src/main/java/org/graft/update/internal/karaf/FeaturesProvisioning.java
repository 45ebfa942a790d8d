package org.graft.update.internal.karaf;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.karaf.features.BundleInfo;
import org.apache.karaf.features.Conditional;
import org.apache.karaf.features.Feature;
import org.apache.karaf.features.FeaturesService;
import org.graft.container.internal.log.Logs;
import org.graft.update.internal.planning.FeatureSource;
import org.graft.update.internal.planning.Refusal;
import org.graft.update.internal.transaction.Provisioning;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.Version;

/**
 * Keeps Karaf's features service true to the versions that serve.
 *
 * <p>At each deployment (any {@code feature:install}, {@code feature:uninstall}, a refresh) the features
 * service matches the bundles its installed features need to installed bundles by symbolic name and
 * exact version, never by location: a feature that still names a version Graft replaced has it
 * installed again, beside the one that serves. So for each replaced bundle that a feature names, Graft
 * writes a bundle replacement into the features processing file, Karaf's own means of making a feature
 * install another bundle than it names: the feature's original URI is replaced by a copy, in the update
 * manager's data area, of the very jar the serving bundle was installed from. The features service
 * then reloads its features and deploys: it finds the serving bundle installed with that name and
 * version and adopts it as the feature's bundle (same bytes, so the checksum it compares for
 * non-Maven URIs matches and it updates nothing). From then on {@code feature:uninstall} removes the
 * serving version, and a restart keeps it. A rollback to the feature's own bundle (a package carrier
 * started again) removes the replacement instead.
 */
public final class FeaturesProvisioning implements Provisioning, FeatureSource {
    private static final System.Logger LOG = Logs.get("org.graft.update.karaf");
    private static final String FEATURES_PID = "org.apache.karaf.features";
    private static final String PROCESSING_PROPERTY = "featureProcessing";
    private static final String PROCESSING_FILE = "org.apache.karaf.features.xml";

    private final BundleContext context;
    /** The copies of serving jars that replacements point at. */
    private final Path jars;

    public FeaturesProvisioning(BundleContext context, Path jars) {
        this.context = context;
        this.jars = jars;
    }

    /** A call on the features service, got for it and given back after it. */
    private interface FeaturesCall<T, E extends Exception> {
        T call(FeaturesService features) throws E;
    }

    /** {@code call} on the features service; {@code absent} if it is not running. */
    private <T, E extends Exception> T withFeatures(FeaturesCall<T, E> absent, FeaturesCall<T, E> call) throws E {
        ServiceReference<FeaturesService> reference = context.getServiceReference(FeaturesService.class);
        FeaturesService features = reference == null ? null : context.getService(reference);
        if (features == null) {
            return absent.call(null);
        }
        try {
            return call.call(features);
        } finally {
            context.ungetService(reference);
        }
    }

    @Override
    public String served(List<ServedVersion> served) throws Exception {
        return withFeatures(none -> "", features -> served(features, served));
    }

    @Override
    public List<String> bundleLocations(String feature) throws Refusal {
        return withFeatures(none -> {
            throw new Refusal("the update names the feature " + feature + ", but Karaf's features service is not running");
        }, features -> {
            List<String> locations = new ArrayList<>();
            for (BundleInfo bundle : find(features, feature).getBundles()) {
                locations.add(bundle.getLocation());
            }
            return locations;
        });
    }

    @Override
    public String featureServed(String feature) throws Exception {
        return withFeatures(none -> {
            throw new Exception("the feature " + feature + " was not installed: Karaf's features service is not running");
        }, features -> {
            Feature found = find(features, feature);
            try {
                // Upgrade: the feature's other versions are uninstalled; their bundles that serve in the new
                // version's are found installed and kept. Refreshes nothing.
                features.installFeature(found.getName(), found.getVersion(),
                        EnumSet.of(FeaturesService.Option.Upgrade, FeaturesService.Option.NoAutoRefreshBundles));
            } catch (Exception e) {
                throw new Exception("the updated bundles serve, but Karaf's features service could not install the feature "
                        + found.getId() + ": " + e.getMessage(), e);
            }
            return "Karaf's features service installed the feature " + found.getId() + " in place of its other versions";
        });
    }

    private static Feature find(FeaturesService features, String feature) throws Refusal {
        int slash = feature.indexOf('/');
        String name = slash < 0 ? feature : feature.substring(0, slash);
        String version = slash < 0 ? null : feature.substring(slash + 1);
        Feature found;
        try {
            found = version == null ? features.getFeature(name) : features.getFeature(name, version);
        } catch (Exception e) {
            throw new Refusal("Karaf's features service cannot read the feature " + feature + ": " + e.getMessage(), e);
        }
        if (found == null) {
            throw new Refusal("no feature " + feature + " in the features repositories Karaf knows (feature:repo-list)");
        }
        return found;
    }

    private String served(FeaturesService features, List<ServedVersion> served) throws Exception {
        Map<ServedVersion, Set<String>> named = new LinkedHashMap<>();
        Map<ServedVersion, Set<String>> featureNames = new LinkedHashMap<>();
        for (Feature feature : features.listInstalledFeatures()) {
            for (BundleInfo bundle : bundlesOf(feature)) {
                for (ServedVersion version : served) {
                    if (names(bundle, version)) {
                        named.computeIfAbsent(version, v -> new LinkedHashSet<>()).add(originalUri(bundle));
                        featureNames.computeIfAbsent(version, v -> new LinkedHashSet<>()).add(feature.getId());
                    }
                }
            }
        }
        if (named.isEmpty()) {
            return "";
        }
        Path file = processingFile();
        List<String> done = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        BundleReplacements rules;
        try {
            rules = BundleReplacements.read(file);
        } catch (IOException e) {
            throw new Exception(notTold(named.keySet(), featureNames) + ": " + e.getMessage(), e);
        }
        for (Map.Entry<ServedVersion, Set<String>> entry : named.entrySet()) {
            ServedVersion version = entry.getKey();
            if (version.replacedKept()) {
                // Karaf offers no way to stop managing a bundle it installed: left as it is, it starts it again
                done.add("Karaf's features service still counts " + version.symbolicName() + " " + version.replaced()
                        + " (kept installed as a package carrier) as the bundle of " + String.join(", ", featureNames.get(version))
                        + ": its next deployment starts it again");
                LOG.log(System.Logger.Level.WARNING, "Graft: " + done.get(done.size() - 1));
                continue;
            }
            for (String originalUri : entry.getValue()) {
                // Installed from the feature's own URI (a rollback that started a carrier again): the
                // feature names what serves.
                if (originalUri.equals(version.serving().getLocation())) {
                    rules.remove(originalUri);
                } else {
                    String copy = copy(version).toUri().toString();
                    rules.replace(originalUri, copy);
                    expected.add(copy);
                }
            }
            done.add("Karaf's features service counts " + version.describe() + " as the bundle of "
                    + String.join(", ", featureNames.get(version)));
        }
        if (rules.changed()) {
            try {
                rules.write();
            } catch (IOException e) {
                throw new Exception(notTold(named.keySet(), featureNames) + ": " + e.getMessage(), e);
            }
            try {
                reload(features, expected);
            } catch (Exception e) {
                throw new Exception("Karaf's features service could not deploy after Graft replaced the bundles of "
                        + featureNames.values() + " in " + file + ": " + e.getMessage()
                        + ". The replacements stay in the file and apply to its next deployment", e);
            }
            done.add("bundle replacements in " + file);
            prune(rules.replacements());
        }
        return String.join("; ", done);
    }

    /**
     * Reloads the features through the new processing rules, then deploys; refreshes nothing. Karaf
     * 4.4's {@code refreshFeatures} replaces its repository cache outside its lock: a feature read at
     * that moment (a {@code feature:list}, any client) can cache the features as they were and have
     * them deployed, replaced version included. So the installed features are read again afterwards,
     * and where they do not name the copies the rules point at, the reload runs once more.
     */
    private static void reload(FeaturesService features, List<String> expected) throws Exception {
        features.refreshFeatures(EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles));
        List<String> missing = missing(features, expected);
        if (!missing.isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, "Graft: Karaf's features service reloaded its features without the bundle"
                    + " replacements " + missing + " (a features read raced its reload): reloading them again");
            features.refreshFeatures(EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles));
            missing = missing(features, expected);
            if (!missing.isEmpty()) {
                throw new Exception("its installed features still do not name " + missing + " after two reloads");
            }
        }
    }

    private static List<String> missing(FeaturesService features, List<String> expected) throws Exception {
        List<String> missing = new ArrayList<>(expected);
        for (Feature feature : features.listInstalledFeatures()) {
            for (BundleInfo bundle : bundlesOf(feature)) {
                missing.remove(bundle.getLocation());
            }
        }
        return missing;
    }

    /**
     * Whether the feature's bundle is the replaced version: as the features service installed it (its
     * location), or as Graft replaced it before (a copy of a jar of that symbolic name).
     */
    private boolean names(BundleInfo bundle, ServedVersion version) {
        String location = bundle.getLocation();
        if (location.equals(version.replacedLocation())) {
            return true;
        }
        String copies = jars.toAbsolutePath().toUri().toString();
        String prefix = version.symbolicName() + "-";
        if (!location.startsWith(copies) || !location.endsWith(".jar")) {
            return false;
        }
        String name = location.substring(copies.length());
        if (!name.startsWith(prefix)) {
            return false;
        }
        try {
            Version.parseVersion(name.substring(prefix.length(), name.length() - ".jar".length()));
            return true;
        } catch (IllegalArgumentException otherBundle) {
            // e.g. "org.example.counter-api-1.0.0.jar" for "org.example.counter": another bundle's copy
            return false;
        }
    }

    private static String originalUri(BundleInfo bundle) {
        boolean replaced = bundle.isOverriden() != null && bundle.isOverriden() != BundleInfo.BundleOverrideMode.NONE;
        return replaced && bundle.getOriginalLocation() != null ? bundle.getOriginalLocation() : bundle.getLocation();
    }

    private static List<BundleInfo> bundlesOf(Feature feature) {
        List<BundleInfo> bundles = new ArrayList<>(feature.getBundles());
        for (Conditional conditional : feature.getConditional()) {
            bundles.addAll(conditional.getBundles());
        }
        return bundles;
    }

    private Path jarOf(String symbolicName, Version version) {
        return jars.resolve(symbolicName + "-" + version + ".jar").toAbsolutePath();
    }

    /** The serving bundle's jar, byte for byte as it was installed (the features service compares checksums). */
    private Path copy(ServedVersion version) throws IOException {
        Files.createDirectories(jars);
        Path target = jarOf(version.symbolicName(), version.serving().getVersion());
        Path temporary = Files.createTempFile(jars, "provisioned", ".tmp");
        try (InputStream in = version.jar().stream()) {
            Files.copy(in, temporary, StandardCopyOption.REPLACE_EXISTING);
        }
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return target;
    }

    /**
     * Deletes the copies no replacement points at any more. One that cannot be deleted costs disk
     * space, not correctness: it is logged, and the next pruning tries again.
     */
    private void prune(List<String> replacements) {
        try (DirectoryStream<Path> copies = Files.newDirectoryStream(jars, "*.jar")) {
            for (Path copy : copies) {
                if (!replacements.contains(copy.toAbsolutePath().toUri().toString())) {
                    delete(copy);
                }
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "Graft could not list its copies of serving jars in " + jars, e);
        }
    }

    private static void delete(Path copy) {
        try {
            Files.delete(copy);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "Graft could not delete " + copy + ", which no bundle replacement names any more", e);
        }
    }

    /**
     * The file Karaf's features service reads its processing rules from: its configuration's
     * {@code featureProcessing}, else {@code etc/org.apache.karaf.features.xml}, as the features
     * service itself decides.
     */
    private Path processingFile() throws IOException {
        String configured = KarafConfiguration.property(context, FEATURES_PID, PROCESSING_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return Paths.get(configured.trim());
        }
        String etc = context.getProperty("karaf.etc");
        if (etc == null) {
            throw new IOException("the framework has no property karaf.etc, so the features processing file is unknown");
        }
        return Paths.get(etc, PROCESSING_FILE);
    }

    private static String notTold(Set<ServedVersion> versions, Map<ServedVersion, Set<String>> features) {
        List<String> names = new ArrayList<>();
        for (ServedVersion version : versions) {
            names.add(version.describe() + " (in place of " + version.replaced() + ") for " + String.join(", ", features.get(version)));
        }
        return "Karaf's features service was not told that " + names + " serve: its next deployment installs the"
                + " replaced versions again beside them. The features processing file could not be updated";
    }
}
