package org.graft.container;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;
import org.osgi.framework.Bundle;

/** A service published through a Graft proxy. */
@ProviderType
public interface ManagedService {
    /** The identity that matches versions: {@code graft.id}, else the DS {@code component.name}. */
    String identity();

    /** The interfaces the service (and its proxy) is registered under. */
    List<String> interfaces();

    /** The bundle whose implementation serves now. */
    Bundle provider();

    /** The implementation that serves now. */
    Object implementation();

    /** Calls running now. */
    long callsInFlight();

    /** Calls completed by the implementation that serves now. */
    long callsServed();

    /** The service id of the proxy's registration, which consumers see. */
    long proxyServiceId();
}
