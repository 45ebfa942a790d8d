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
    public long callsInFlight;
    public long callsServed;
    /** The last update that replaced it, or 0. */
    public long lastUpdateId;
}
