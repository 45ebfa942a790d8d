package org.graft.update.internal.planning;

import org.graft.container.ManagedService;
import org.graft.container.StateEntryPlan;
import org.graft.container.StatePlan;

/**
 * One managed service of an update: the one serving now, what of the next version takes over its
 * identity, and how its state is carried. A service the next version declares as a DS component is
 * planned from its descriptor before anything starts. One it registers some other way (a bundle
 * activator, Blueprint) is known only once it registers: it is {@code atActivation}, planned from the
 * next version's class of the same name where there is one, and planned again from the instance that
 * registers.
 *
 * @param componentName the DS component that takes over, or null
 * @param nextClass the next version's implementation class as planned, or null if not known yet
 * @param state the state plan, or null where none could be made (then the plan has a refusal, or the
 *        service is planned at activation)
 */
public record PlannedService(ManagedService running, String componentName, Class<?> nextClass, StatePlan state,
        boolean atActivation) {
    public String identity() {
        return running.identity();
    }

    /** Whether the transfer only hands objects over: no conversion, no service author's code. */
    public boolean handsOverReferencesOnly() {
        return state.entries().stream().allMatch(entry -> entry.action() != StateEntryPlan.Action.CONVERTED
                && entry.action() != StateEntryPlan.Action.TRANSFORMED);
    }

    /** The same service, planned again from the class of the instance that registered. */
    public PlannedService replanned(Class<?> instanceClass, StatePlan plan) {
        return new PlannedService(running, componentName, instanceClass, plan, atActivation);
    }
}
