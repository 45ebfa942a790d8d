package org.graft.update.internal;

/**
 * Whether an optionally imported package is wired to this bundle. Asked from here, a class with no
 * reference to those packages: a class that uses them cannot even be loaded without them.
 */
public final class OptionalPackages {
    public static final String CONFIG_ADMIN = "org.osgi.service.cm.ManagedService";
    public static final String BLUEPRINT_LISTENER = "org.osgi.service.blueprint.container.BlueprintListener";
    public static final String EVENT_ADMIN = "org.osgi.service.event.EventAdmin";
    public static final String FEATURES_SERVICE = "org.apache.karaf.features.FeaturesService";
    public static final String SCR_RUNTIME = "org.osgi.service.component.runtime.ServiceComponentRuntime";

    private OptionalPackages() {
    }

    public static boolean present(String className) {
        try {
            Class.forName(className, false, OptionalPackages.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError absent) {
            return false;
        }
    }
}
