package org.graft.update.internal.planning;

import java.util.List;

/**
 * What an update will do, read from the installed (not started) next versions: every managed service
 * matched to its successor, and its state plan. A plan with refusals is not applied.
 */
public record UpdatePlan(List<PlannedBundle> bundles, List<String> refusals) {
    public UpdatePlan {
        bundles = List.copyOf(bundles);
        refusals = List.copyOf(refusals);
    }

    public List<PlannedService> services() {
        return bundles.stream().flatMap(bundle -> bundle.services().stream()).toList();
    }

    /** @throws Refusal with every reason, if there is any */
    public UpdatePlan orRefuse() throws Refusal {
        if (!refusals.isEmpty()) {
            throw new Refusal(refusals);
        }
        return this;
    }
}
