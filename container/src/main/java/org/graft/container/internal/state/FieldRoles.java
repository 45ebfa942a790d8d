package org.graft.container.internal.state;

import java.lang.reflect.Field;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;

/**
 * Tells framework wiring from state among the fields nobody declared as state. Wiring is what every
 * instance gets anew from the framework or makes for itself (a BundleContext, a tracker, a
 * registration, a thread or executor, a logger) and references to other services; it is never carried.
 * Types are matched by name, so that no optional package needs to be wired to the container.
 */
final class FieldRoles {
    /** Wiring, and so is whatever extends or implements them (a bundle's own thread or tracker subclass). */
    private static final Set<String> WIRING = Set.of(
            "org.osgi.framework.BundleContext", "org.osgi.framework.Bundle", "org.osgi.framework.ServiceRegistration",
            "org.osgi.framework.ServiceReference", "org.osgi.util.tracker.ServiceTracker", "org.osgi.util.tracker.BundleTracker",
            "java.lang.Thread", "java.util.concurrent.Executor", "java.util.Timer", "java.lang.ClassLoader",
            "java.util.logging.Logger", "java.lang.System$Logger", "org.slf4j.Logger", "org.apache.logging.log4j.Logger",
            "org.apache.log4j.Logger", "org.apache.commons.logging.Log", "org.osgi.service.log.LogService",
            "org.osgi.service.log.Logger", "org.osgi.service.log.LoggerFactory");
    /**
     * Wiring only as the declared type itself: a bundle's own class that implements a listener (a log
     * that listens to framework events, say) often holds its state.
     */
    private static final Set<String> WIRING_AS_DECLARED = Set.of("org.osgi.framework.ServiceListener",
            "org.osgi.framework.BundleListener", "org.osgi.framework.FrameworkListener", "org.osgi.framework.BundleActivator");

    private FieldRoles() {
    }

    /** Why the field is framework wiring, or null if it is state. */
    static String wiring(Field field, Class<?> implementation) {
        Class<?> type = field.getType();
        if (WIRING_AS_DECLARED.contains(type.getName())) {
            return "framework wiring (" + type.getName() + ")";
        }
        String known = knownWiring(type);
        if (known != null) {
            return "framework wiring (" + known + ")";
        }
        if (type.isInterface() && !type.getName().startsWith("java.") && !type.getName().startsWith("javax.")
                && type.getClassLoader() != implementation.getClassLoader()) {
            return "a reference to another service (" + type.getName() + ")";
        }
        return null;
    }

    private static String knownWiring(Class<?> type) {
        Deque<Class<?>> pending = new ArrayDeque<>();
        Set<Class<?>> seen = new HashSet<>();
        pending.add(type);
        while (!pending.isEmpty()) {
            Class<?> next = pending.poll();
            if (!seen.add(next)) {
                continue;
            }
            if (WIRING.contains(next.getName())) {
                return next.getName();
            }
            if (next.getSuperclass() != null) {
                pending.add(next.getSuperclass());
            }
            for (Class<?> implemented : next.getInterfaces()) {
                pending.add(implemented);
            }
        }
        return null;
    }
}
