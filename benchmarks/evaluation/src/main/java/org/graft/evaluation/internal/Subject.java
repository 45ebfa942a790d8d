package org.graft.evaluation.internal;

import org.osgi.framework.ServiceReference;

/**
 * A service under evaluation, seen as its users see it: a call the load makes nonstop, and state that
 * a user puts in and would miss, judged through the service's own API. Each is a class of its own, so
 * that only the chosen one's API package needs to be wired.
 */
public interface Subject {
    /** The LDAP filter that finds the service (the proxy or, unmanaged, the original). */
    String filter();

    /** Whether a reference the filter found is this subject's (and not another bundle's service of the interface). */
    boolean matches(ServiceReference<?> reference);

    /** One call of the load; throws if it fails. */
    void call(Object service) throws Exception;

    /** Puts the marker state in. */
    void mark(Object service) throws Exception;

    /** Whether the marker state is there. */
    boolean kept(Object service) throws Exception;
}
