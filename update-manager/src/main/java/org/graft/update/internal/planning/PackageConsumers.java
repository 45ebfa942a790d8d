package org.graft.update.internal.planning;

import java.util.ArrayList;
import java.util.List;

import org.graft.container.ManagedService;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.framework.wiring.BundleWire;
import org.osgi.framework.wiring.BundleWiring;

/**
 * Who a package refresh would restart: the bundles wired to the package of a managed service's
 * interfaces. Named in a refusal whose only way forward would be such a refresh (a next version that
 * needs another version of the API package than the one its consumers are wired to).
 */
final class PackageConsumers {
    private PackageConsumers() {
    }

    /** A sentence fragment (starting "; ") naming them, or "" if none can be found. */
    static String whoWouldRestart(ManagedService running, Replacement replacement) {
        List<String> consumers = new ArrayList<>();
        List<String> packages = new ArrayList<>();
        for (String name : running.interfaces()) {
            Class<?> type;
            try {
                type = running.provider().loadClass(name);
            } catch (ClassNotFoundException | LinkageError e) {
                continue;
            }
            Bundle exporter = FrameworkUtil.getBundle(type);
            BundleWiring wiring = exporter == null ? null : exporter.adapt(BundleWiring.class);
            if (wiring == null) {
                continue;
            }
            packages.add(type.getPackageName() + " (from " + exporter.getSymbolicName() + " " + exporter.getVersion() + ")");
            for (BundleWire wire : wiring.getProvidedWires(PackageNamespace.PACKAGE_NAMESPACE)) {
                Bundle requirer = wire.getRequirerWiring().getBundle();
                String described = requirer.getSymbolicName() + " " + requirer.getVersion() + " (id " + requirer.getBundleId() + ")";
                if (type.getPackageName().equals(wire.getCapability().getAttributes().get(PackageNamespace.PACKAGE_NAMESPACE))
                        && requirer.getBundleId() != replacement.installed().getBundleId() && !consumers.contains(described)) {
                    consumers.add(described);
                }
            }
        }
        if (consumers.isEmpty()) {
            return "";
        }
        return "; only a refresh of the bundles wired to " + String.join(", ", packages) + " would make them use the new"
                + " version's classes, and it would restart them: " + consumers + " (Graft does not refresh bundles)";
    }
}
