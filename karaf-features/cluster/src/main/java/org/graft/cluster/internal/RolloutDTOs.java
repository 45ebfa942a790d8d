package org.graft.cluster.internal;

import org.graft.cluster.dto.NodeStepDTO;
import org.graft.cluster.dto.RolloutDTO;
import org.graft.cluster.internal.rollout.NodeStep;
import org.graft.cluster.internal.rollout.Rollout;

/** The API's view of a rollout record. */
final class RolloutDTOs {
    private RolloutDTOs() {
    }

    static RolloutDTO of(Rollout rollout) {
        RolloutDTO dto = new RolloutDTO();
        dto.id = rollout.id();
        dto.group = rollout.group();
        dto.bundle = rollout.bundle();
        dto.url = rollout.url();
        dto.fromVersion = rollout.fromVersion();
        dto.coordinator = rollout.coordinator();
        dto.state = rollout.state().name();
        dto.message = rollout.message();
        dto.startedAt = rollout.startedAt();
        dto.endedAt = rollout.endedAt();
        for (NodeStep step : rollout.steps()) {
            NodeStepDTO node = new NodeStepDTO();
            node.node = step.node();
            node.phase = step.phase().name();
            node.fromVersion = step.fromVersion();
            node.toVersion = step.toVersion();
            node.message = step.message();
            node.heldMillis = step.heldMillis();
            node.changedAt = step.changedAt();
            dto.nodes.add(node);
        }
        return dto;
    }

    static RolloutDTO refused(String group, String bundle, String url, String why) {
        RolloutDTO dto = new RolloutDTO();
        dto.group = group;
        dto.bundle = bundle;
        dto.url = url;
        dto.state = RolloutDTO.REFUSED;
        dto.message = why;
        return dto;
    }
}
