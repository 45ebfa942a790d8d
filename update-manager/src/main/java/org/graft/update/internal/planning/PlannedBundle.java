package org.graft.update.internal.planning;

import java.util.List;

/** A replacement and its planned services. */
public record PlannedBundle(Replacement replacement, List<PlannedService> services) {
    public PlannedBundle {
        services = List.copyOf(services);
    }
}
