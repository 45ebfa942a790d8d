package org.graft.update.internal.transaction;

import java.util.List;

import org.graft.update.internal.planning.BundleSource;
import org.osgi.framework.Bundle;
import org.osgi.framework.Version;

/**
 * The system that installed the replaced bundles and would install them again at its next deployment
 * (Karaf's features service, where it runs), told which version serves in their place. An interface of
 * its own so that the transaction never loads the classes of that system's optional package.
 */
public interface Provisioning {
    /** Where nothing provisions bundles: there is nobody to tell. */
    Provisioning NONE = new Provisioning() {
        @Override
        public String served(List<ServedVersion> served) {
            return "";
        }

        @Override
        public String featureServed(String feature) {
            return "";
        }
    };

    /**
     * Tells the provisioning system, once the replaced versions are uninstalled (or kept as carriers), that {@code served}
     * took their place. Runs on the update thread, after calls flow again.
     *
     * @return what was done, for the report; empty if the provisioning system knew none of them
     * @throws Exception if it could not be told; the versions that serve go on serving
     */
    String served(List<ServedVersion> served) throws Exception;

    /**
     * After an update that applied a feature's bundles ({@code name/version}) and told {@link #served}:
     * the provisioning system installs that feature in place of its other versions, bringing the rest
     * of its bundles its usual way.
     *
     * @return what was done, for the report
     * @throws Exception if it failed; the updated bundles go on serving
     */
    String featureServed(String feature) throws Exception;

    /**
     * One replaced bundle (its version and location, read before it was uninstalled, and whether it stays
     * installed as a package carrier instead), the bundle that serves in its place and the jar that
     * bundle was installed from.
     */
    record ServedVersion(String symbolicName, Version replaced, String replacedLocation, boolean replacedKept, Bundle serving,
            BundleSource jar) {
        public String describe() {
            return symbolicName + " " + serving.getVersion() + " (id " + serving.getBundleId() + ")";
        }
    }
}
