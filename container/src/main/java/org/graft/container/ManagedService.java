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

    /** The proxy counts every call. */
    String LINK_COUNTED = "counted";
    /** The proxy reaches the implementation without counting while no update holds it. */
    String LINK_DIRECT = "direct";

    /** Counted calls running now: all calls under a counted link, under a direct one only those an update moved to the counted path. */
    long callsInFlight();

    /** Counted calls completed by the implementation that serves now (calls on the direct path are not counted). */
    long callsServed();

    /**
     * How the proxy reaches the implementation: {@link #LINK_DIRECT} or {@link #LINK_COUNTED}.
     *
     * @since 1.6
     */
    String link();

    /** The service id of the proxy's registration, which consumers see. */
    long proxyServiceId();
}
