package org.graft.update.internal.transaction;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/**
 * Asks SCR why a component of a bundle is not serving (its activation failure, unsatisfied
 * references). Only loaded when the SCR runtime package is wired: its import is optional.
 */
final class ComponentDiagnostics {
    private ComponentDiagnostics() {
    }

    static String explain(BundleContext context, Bundle bundle, String componentName) {
        ServiceReference<ServiceComponentRuntime> reference = context.getServiceReference(ServiceComponentRuntime.class);
        if (reference == null) {
            return null;
        }
        ServiceComponentRuntime scr = context.getService(reference);
        if (scr == null) {
            return null;
        }
        try {
            ComponentDescriptionDTO description = scr.getComponentDescriptionDTO(bundle, componentName);
            if (description == null) {
                return null;
            }
            for (ComponentConfigurationDTO configuration : scr.getComponentConfigurationDTOs(description)) {
                if (configuration.failure != null) {
                    return firstLine(configuration.failure);
                }
                if (configuration.state == ComponentConfigurationDTO.UNSATISFIED_REFERENCE) {
                    return "unsatisfied reference(s)";
                }
            }
            return null;
        } finally {
            context.ungetService(reference);
        }
    }

    private static String firstLine(String text) {
        int end = text.indexOf('\n');
        return (end < 0 ? text : text.substring(0, end)).trim();
    }
}
