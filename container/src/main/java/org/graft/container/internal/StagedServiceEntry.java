package org.graft.container.internal;

import java.util.List;

import org.graft.container.StagedService;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/** A hidden registration of a version being installed, waiting for its update to commit. */
final class StagedServiceEntry implements StagedService {
    private final String identity;
    private final ServiceReference<?> reference;
    private final BundleContext containerContext;
    private Object implementation;

    StagedServiceEntry(String identity, ServiceReference<?> reference, BundleContext containerContext) {
        this.identity = identity;
        this.reference = reference;
        this.containerContext = containerContext;
    }

    @Override
    public String identity() {
        return identity;
    }

    @Override
    public List<String> interfaces() {
        return List.of((String[]) reference.getProperty(org.osgi.framework.Constants.OBJECTCLASS));
    }

    @Override
    public Bundle provider() {
        return reference.getBundle();
    }

    @Override
    public synchronized Object implementation() {
        if (implementation == null) {
            Bundle bundle = reference.getBundle();
            Object service = containerContext.getService(reference);
            if (service == null) {
                throw new IllegalStateException("the service " + identity + " of bundle "
                        + (bundle == null ? "(unregistered)" : bundle.getSymbolicName() + " " + bundle.getVersion())
                        + " did not activate: the framework returned no instance");
            }
            implementation = service;
        }
        return implementation;
    }

    ServiceReference<?> reference() {
        return reference;
    }

    @Override
    public String toString() {
        return identity + " of bundle " + reference.getBundle();
    }
}
