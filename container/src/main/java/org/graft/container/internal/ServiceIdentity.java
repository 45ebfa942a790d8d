package org.graft.container.internal;

import java.util.Arrays;

import org.graft.transformer.Managed;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;

/**
 * The name that matches a managed service across versions of its bundle. The first that the
 * registration has of: {@code graft.id} (set by the author), DS's {@code component.name}, Blueprint's
 * {@code osgi.service.blueprint.compname}; else, for a service registered by a bundle activator, its
 * bundle's symbolic name and its interfaces ({@code org.example.log/org.example.LogReader}), with the
 * value of a configured property in brackets where one bundle registers an interface several times
 * ({@code ...[service.pid=a]}).
 */
final class ServiceIdentity {
    static final String COMPONENT_NAME = "component.name";
    static final String BLUEPRINT_COMPONENT_NAME = "osgi.service.blueprint.compname";

    private ServiceIdentity() {
    }

    /** @param distinguishingProperty the configured property that tells registrations apart, or null */
    static String of(ServiceReference<?> reference, String distinguishingProperty) {
        for (String property : new String[] {Managed.IDENTITY_PROPERTY, COMPONENT_NAME, BLUEPRINT_COMPONENT_NAME}) {
            Object id = reference.getProperty(property);
            if (id != null) {
                return id.toString();
            }
        }
        Bundle bundle = reference.getBundle();
        String[] interfaces = ((String[]) reference.getProperty(Constants.OBJECTCLASS)).clone();
        Arrays.sort(interfaces);
        String identity = (bundle == null ? "?" : bundle.getSymbolicName()) + "/" + String.join("+", interfaces);
        Object distinguishing = distinguishingProperty == null ? null : reference.getProperty(distinguishingProperty);
        return distinguishing == null ? identity : identity + "[" + distinguishingProperty + "=" + distinguishing + "]";
    }

    /** Whether the identity was derived from the bundle and interfaces (no property names the service). */
    static boolean derived(ServiceReference<?> reference) {
        return reference.getProperty(Managed.IDENTITY_PROPERTY) == null && reference.getProperty(COMPONENT_NAME) == null
                && reference.getProperty(BLUEPRINT_COMPONENT_NAME) == null;
    }
}
