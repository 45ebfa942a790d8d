package org.graft.container.internal;

import java.util.List;

import org.graft.container.ManagedService;
import org.graft.container.internal.gate.CallGate;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;

/** A managed service: its gate, its proxy's registration, and the original that serves now. */
final class ManagedServiceEntry implements ManagedService {
    private final String identity;
    private final List<String> interfaces;
    private final List<Class<?>> interfaceClasses;
    private final CallGate gate;
    private final ServiceRegistration<?> registration;
    /** The original now behind the proxy; replaced by a commit, read by listeners and the shell. */
    private volatile ServiceReference<?> original;

    ManagedServiceEntry(String identity, List<String> interfaces, List<Class<?>> interfaceClasses, CallGate gate,
            ServiceRegistration<?> registration, ServiceReference<?> original) {
        this.identity = identity;
        this.interfaces = List.copyOf(interfaces);
        this.interfaceClasses = List.copyOf(interfaceClasses);
        this.gate = gate;
        this.registration = registration;
        this.original = original;
    }

    @Override
    public String identity() {
        return identity;
    }

    @Override
    public List<String> interfaces() {
        return interfaces;
    }

    @Override
    public Bundle provider() {
        return original.getBundle();
    }

    @Override
    public Object implementation() {
        return gate.implementation();
    }

    @Override
    public long callsInFlight() {
        return gate.callsInFlight();
    }

    @Override
    public long callsServed() {
        return gate.callsServed();
    }

    @Override
    public String link() {
        return gate.linksDirectly() ? LINK_DIRECT : LINK_COUNTED;
    }

    @Override
    public long proxyServiceId() {
        return (Long) registration.getReference().getProperty(Constants.SERVICE_ID);
    }

    /** The interface classes the proxy implements: the ones consumers use. */
    List<Class<?>> interfaceClasses() {
        return interfaceClasses;
    }

    CallGate gate() {
        return gate;
    }

    ServiceRegistration<?> registration() {
        return registration;
    }

    ServiceReference<?> original() {
        return original;
    }

    void replaceOriginal(ServiceReference<?> successor) {
        original = successor;
    }

    @Override
    public String toString() {
        return identity + " " + interfaces;
    }
}
