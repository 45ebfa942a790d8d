package org.graft.update.internal.planning;

import org.graft.container.ManagedService;
import org.graft.container.StatePlan;

/**
 * One managed service of an update: the one serving now, the component of the next version that takes
 * over its identity, and how its state is carried.
 */
public record PlannedService(ManagedService running, String componentName, StatePlan state) {
    public String identity() {
        return running.identity();
    }

    /** Whether the transfer only hands objects over: no conversion, no service author's code. */
    public boolean handsOverReferencesOnly() {
        return state.entries().stream().allMatch(entry -> entry.action() == org.graft.container.StateEntryPlan.Action.HANDED_OVER
                || entry.action() == org.graft.container.StateEntryPlan.Action.NEW);
    }
}
