package org.graft.cluster.internal;

import java.util.Arrays;
import java.util.List;

import org.graft.cluster.dto.RolloutRequestDTO;

/** A rollout request as the shell and JMX take it: the order as one comma-separated text. */
public final class RolloutRequests {
    private RolloutRequests() {
    }

    /** The request with the DTO's default timeouts and no probe; {@code order} null or blank for sorted by id. */
    public static RolloutRequestDTO of(String group, String bundle, String url, String order) {
        RolloutRequestDTO request = new RolloutRequestDTO();
        request.group = group;
        request.bundle = bundle;
        request.url = url;
        request.order = order == null || order.isBlank() ? List.of()
                : Arrays.stream(order.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        return request;
    }
}
