package org.graft.update.internal.planning;

import java.util.List;

/**
 * Where a feature's bundles are (Karaf's features service, where it runs): an update may name a feature
 * instead of, or beside, bundles. An interface of its own so that planning never loads the classes of
 * that service's optional package.
 */
public interface FeatureSource {
    /** Where nothing provisions features: an update that names one is refused. */
    FeatureSource NONE = feature -> {
        throw new Refusal("the update names the feature " + feature + ", but no features service runs here");
    };

    /** The locations of the bundles of {@code feature} ({@code name/version}), as the features service would install them. */
    List<String> bundleLocations(String feature) throws Refusal;
}
