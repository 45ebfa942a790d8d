package org.graft.update.internal.planning;

import java.util.ArrayList;
import java.util.List;

import org.osgi.framework.Bundle;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.framework.wiring.BundleRequirement;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.resource.Namespace;

/** Says which requirements keep a bundle from resolving: the ones no installed bundle provides. */
final class ResolutionDiagnostics {
    private ResolutionDiagnostics() {
    }

    static String unresolvedRequirements(Bundle bundle, FrameworkWiring wiring) {
        BundleRevision revision = bundle.adapt(BundleRevision.class);
        if (revision == null) {
            return "its revision is gone";
        }
        List<String> missing = new ArrayList<>();
        for (BundleRequirement requirement : revision.getDeclaredRequirements(null)) {
            String resolution = requirement.getDirectives().get(Namespace.REQUIREMENT_RESOLUTION_DIRECTIVE);
            if (Namespace.RESOLUTION_OPTIONAL.equals(resolution) || requirement.getNamespace().startsWith("osgi.ee")
                    || !wiring.findProviders(requirement).isEmpty()) {
                continue;
            }
            String filter = requirement.getDirectives().get(Namespace.REQUIREMENT_FILTER_DIRECTIVE);
            missing.add(requirement.getNamespace().equals(PackageNamespace.PACKAGE_NAMESPACE)
                    ? "package " + filter : requirement.getNamespace() + " " + filter);
        }
        return missing.isEmpty() ? "the resolver found no consistent wiring (uses constraints?)"
                : "missing requirement" + (missing.size() > 1 ? "s " : " ") + String.join(", ", missing);
    }
}
