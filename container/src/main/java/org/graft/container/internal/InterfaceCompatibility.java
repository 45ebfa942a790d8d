package org.graft.container.internal;

import java.util.List;
import java.util.Optional;

import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.resource.Namespace;
import org.osgi.resource.Requirement;

/**
 * The one check of whether an implementation can serve behind a proxy: it must implement the very
 * interface classes the consumers use (the proxy's), not classes of the same name from another bundle.
 * Asked of a class while an update is planned (to refuse before anything starts) and of an instance
 * before a switchover or a takeover points a proxy at it.
 */
final class InterfaceCompatibility {
    private InterfaceCompatibility() {
    }

    /** Why instances of {@code candidate} cannot serve consumers of {@code consumerInterfaces}, if they cannot. */
    static Optional<String> problem(List<Class<?>> consumerInterfaces, Class<?> candidate) {
        for (Class<?> type : consumerInterfaces) {
            if (!type.isAssignableFrom(candidate)) {
                return Optional.of(describe(type, candidate));
            }
        }
        return Optional.empty();
    }

    private static String describe(Class<?> type, Class<?> candidate) {
        String owner = bundleOf(candidate);
        Class<?> seen;
        try {
            seen = Class.forName(type.getName(), false, candidate.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return type.getName() + " is not visible to " + owner + ", whose " + candidate.getName() + " cannot implement it";
        }
        if (seen != type) {
            return owner + " sees another " + type.getName() + " (from " + bundleOf(seen) + ") than the consumers use (from "
                    + bundleOf(type) + "): service interfaces must come from a bundle the update does not replace"
                    + exportedNotImported(candidate, seen);
        }
        return candidate.getName() + " of " + owner + " does not implement the " + type.getName() + " that consumers use";
    }

    /** Why a bundle sees its own copy: it exports the interface's package without also importing it. */
    private static String exportedNotImported(Class<?> candidate, Class<?> seen) {
        Bundle bundle = FrameworkUtil.getBundle(candidate);
        if (bundle == null || FrameworkUtil.getBundle(seen) != bundle) {
            return "";
        }
        BundleRevision revision = bundle.adapt(BundleRevision.class);
        boolean exported = revision.getDeclaredCapabilities(PackageNamespace.PACKAGE_NAMESPACE).stream()
                .anyMatch(capability -> seen.getPackageName().equals(capability.getAttributes().get(PackageNamespace.PACKAGE_NAMESPACE)));
        if (!exported) {
            return "";
        }
        String clause = "(" + PackageNamespace.PACKAGE_NAMESPACE + "=" + seen.getPackageName() + ")";
        for (Requirement requirement : revision.getDeclaredRequirements(PackageNamespace.PACKAGE_NAMESPACE)) {
            if (String.valueOf(requirement.getDirectives().get(Namespace.REQUIREMENT_FILTER_DIRECTIVE)).contains(clause)) {
                return "";
            }
        }
        return " (it exports " + seen.getPackageName() + " without importing it, so it can only ever use its own copy;"
                + " a release that also imports its API package can be updated)";
    }

    private static String bundleOf(Class<?> type) {
        Bundle bundle = FrameworkUtil.getBundle(type);
        return bundle == null ? "(no bundle)" : bundle.getSymbolicName() + " " + bundle.getVersion();
    }
}
