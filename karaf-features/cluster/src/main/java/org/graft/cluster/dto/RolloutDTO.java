package org.graft.cluster.dto;

import java.util.ArrayList;
import java.util.List;

import org.osgi.dto.DTO;

/** A rollout as the group records it. */
public class RolloutDTO extends DTO {
    public static final String RUNNING = "RUNNING";
    public static final String SUCCEEDED = "SUCCEEDED";
    public static final String ROLLING_BACK = "ROLLING_BACK";
    /** Halted; every node that had been updated is back on the old version. */
    public static final String ROLLED_BACK = "ROLLED_BACK";
    /** Halted; a node could not be rolled back (named in its step); one that left converges when it returns. */
    public static final String ROLLBACK_INCOMPLETE = "ROLLBACK_INCOMPLETE";
    /** Did not start (another rollout runs, a bad order, an unknown group or bundle); nothing changed. Never recorded. */
    public static final String REFUSED = "REFUSED";

    public String id;
    public String group;
    public String bundle;
    public String url;
    public String fromVersion;
    public String coordinator;
    public String state;
    public String message;
    public long startedAt;
    public long endedAt;
    public List<NodeStepDTO> nodes = new ArrayList<>();
}
