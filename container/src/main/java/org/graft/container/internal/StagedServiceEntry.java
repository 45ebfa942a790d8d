package org.graft.container.internal;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.graft.container.StagedService;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/** A hidden registration of a version being installed, waiting for its update to commit. */
final class StagedServiceEntry implements StagedService {
    private final String identity;
    private final ServiceReference<?> reference;
    private final BundleContext containerContext;
    /** The instance, once got: written once; racing getters give back their extra use of the service. */
    private final AtomicReference<Object> implementation = new AtomicReference<>();

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
    public Object implementation() {
        Object known = implementation.get();
        if (known != null) {
            return known;
        }
        // No lock held here: getService runs the provider's activation, which may call into the framework
        // or wait for other threads.
        Object service = containerContext.getService(reference);
        if (service == null) {
            Bundle bundle = reference.getBundle();
            throw new IllegalStateException("the service " + identity + " of bundle "
                    + (bundle == null ? "(unregistered)" : bundle.getSymbolicName() + " " + bundle.getVersion())
                    + " did not activate: the framework returned no instance");
        }
        if (!implementation.compareAndSet(null, service)) {
            // Another thread got it first; the framework counted both uses, so give ours back.
            containerContext.ungetService(reference);
            return implementation.get();
        }
        return service;
    }

    ServiceReference<?> reference() {
        return reference;
    }

    @Override
    public String toString() {
        return identity + " of bundle " + reference.getBundle();
    }
}
