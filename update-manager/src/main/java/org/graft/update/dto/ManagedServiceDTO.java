package org.graft.update.dto;

import java.util.ArrayList;
import java.util.List;

import org.osgi.dto.DTO;

/** A managed service as it serves now. */
public class ManagedServiceDTO extends DTO {
    public String identity;
    public List<String> interfaces = new ArrayList<>();
    public String bundle;
    public long bundleId;
    public String version;
    /** Counted calls running now (under a direct link, calls are counted only while an update holds the service). */
    public long callsInFlight;
    /** Counted calls completed by the version serving now. */
    public long callsServed;
    /**
     * How the proxy reaches the implementation: "direct" (uncounted while no update holds it) or
     * "counted" (every call counted).
     *
     * @since 1.5
     */
    public String link;
    /** The last update that replaced it, or 0. */
    public long lastUpdateId;
}
