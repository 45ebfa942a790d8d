package org.graft.cluster.dto;

import org.osgi.dto.DTO;

/** One node's part in a rollout. */
public class NodeStepDTO extends DTO {
    /** The Cellar node id. */
    public String node;
    /**
     * WAITING, ASSIGNED, APPLYING, UPDATED, PROBING, HEALTHY, FAILED, UNHEALTHY, SILENT (did not claim:
     * it can no longer apply the update), OVERDUE (claimed but did not finish in time: it rolls itself back
     * when its update ends), LOST (left the group), ROLLBACK_ASSIGNED, ROLLING_BACK, ROLLED_BACK,
     * ROLLBACK_FAILED, SKIPPED (the rollout halted before its turn).
     */
    public String phase;
    public String fromVersion;
    public String toVersion;
    /** What the node or the coordinator said about its last change: a failure's reason. */
    public String message;
    /** How long Graft held calls on the node during its update. */
    public long heldMillis;
    /** When the phase last changed, epoch ms of the writer's clock. */
    public long changedAt;
}
