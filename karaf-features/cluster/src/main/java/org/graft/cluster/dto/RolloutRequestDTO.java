package org.graft.cluster.dto;

import java.util.ArrayList;
import java.util.List;

import org.osgi.dto.DTO;

/** A rolling update asked for. */
public class RolloutRequestDTO extends DTO {
    /** The Cellar group. */
    public String group;
    /** The managed bundle's symbolic name. */
    public String bundle;
    /** Where every node reads the new version from: a location each node can open (mvn:, http:, a shared file:). */
    public String url;
    /** The nodes (Cellar node ids) in the order to update them, every node of the group once; empty for sorted by id. */
    public List<String> order = new ArrayList<>();
    /** How long a node may take to claim its update before it is SILENT and can no longer apply it. */
    public long claimTimeoutMillis = 10_000L;
    /** How long a node may take to finish its update (or rollback) once claimed. */
    public long updateTimeoutMillis = 120_000L;
    /** How long an updated node must keep serving before the next node starts; 0 for none. */
    public long probeMillis;
}
