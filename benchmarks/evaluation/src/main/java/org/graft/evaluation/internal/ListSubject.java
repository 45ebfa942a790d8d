package org.graft.evaluation.internal;

import java.util.List;

import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;

/** The List that the Apache Aries Blueprint sample registers: what users add lives only in memory. */
final class ListSubject implements Subject {
    private static final String SAMPLE = "org.apache.aries.blueprint.sample";
    private static final String MARKER = "graft-evaluation-marker";

    @Override
    public String filter() {
        return "(objectClass=" + List.class.getName() + ")";
    }

    @Override
    public boolean matches(ServiceReference<?> reference) {
        Object provider = reference.getProperty("graft.provider");
        Bundle bundle = reference.getBundle();
        return SAMPLE.equals(provider) || bundle != null && SAMPLE.equals(bundle.getSymbolicName());
    }

    @Override
    public void call(Object service) {
        ((List<?>) service).size();
    }

    @Override
    @SuppressWarnings("unchecked")
    public void mark(Object service) {
        ((List<Object>) service).add(MARKER);
    }

    @Override
    public boolean kept(Object service) {
        return ((List<?>) service).contains(MARKER);
    }
}
