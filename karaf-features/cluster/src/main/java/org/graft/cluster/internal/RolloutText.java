package org.graft.cluster.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.graft.cluster.dto.NodeStepDTO;
import org.graft.cluster.dto.RolloutDTO;

/** A rollout as the dsu:cluster-* commands print it. */
public final class RolloutText {
    private RolloutText() {
    }

    public static List<String> lines(RolloutDTO rollout) {
        List<String> lines = new ArrayList<>();
        if (RolloutDTO.REFUSED.equals(rollout.state)) {
            lines.add("REFUSED: " + rollout.message);
            lines.add("Nothing changed on any node.");
            return lines;
        }
        lines.add("Rollout " + rollout.id + " of " + rollout.bundle + " in group " + rollout.group + ": " + rollout.state);
        lines.add("  from " + rollout.fromVersion + " to " + rollout.url + ", coordinated by " + rollout.coordinator
                + ", started " + Instant.ofEpochMilli(rollout.startedAt)
                + (rollout.endedAt == 0L ? "" : ", ended " + Instant.ofEpochMilli(rollout.endedAt)));
        lines.add(String.format("  %-24s %-18s %-12s %-12s %8s  %s", "node", "phase", "from", "to", "held ms", "message"));
        for (NodeStepDTO node : rollout.nodes) {
            lines.add(String.format("  %-24s %-18s %-12s %-12s %8s  %s", node.node, node.phase, dash(node.fromVersion),
                    dash(node.toVersion), node.heldMillis == 0L ? "-" : String.valueOf(node.heldMillis), dash(node.message)));
        }
        if (rollout.message != null) {
            lines.add("  " + rollout.message);
        }
        return lines;
    }

    private static String dash(String value) {
        return value == null ? "-" : value;
    }
}
