package org.graft.container.internal.state;

import java.lang.reflect.Field;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.graft.container.StateEntryPlan;
import org.graft.container.StateEntryPlan.Action;
import org.graft.container.StatePlan;
import org.osgi.framework.Version;

/** Plans the state hand-over between two implementation classes, from their declarations alone. */
public final class StatePlanner {
    private StatePlanner() {
    }

    public static StatePlan plan(Class<?> fromClass, Version fromVersion, Class<?> toClass, Version toVersion) {
        StateSchema from;
        StateSchema to;
        Optional<Transformation> transformation;
        try {
            from = StateSchema.of(fromClass);
            to = StateSchema.of(toClass);
            transformation = TransformerResolver.resolve(fromClass, fromVersion, toClass, toVersion);
        } catch (IllegalArgumentException e) {
            return PlannedTransfer.refused(e.getMessage());
        }
        List<StateEntryPlan> entries = new ArrayList<>();
        if (transformation.isPresent()) {
            String reason = "computed by " + transformation.get().describe();
            for (String name : union(from, to)) {
                entries.add(new StateEntryPlan(name, Action.TRANSFORMED, TypeIdentity.name(from.typeOf(name)),
                        TypeIdentity.name(to.typeOf(name)), reason));
            }
        } else if (from.explicit() || to.explicit()) {
            entries.add(new StateEntryPlan("*", Action.CONVERTED, from.explicit() ? "exportState()" : "fields",
                    to.explicit() ? "importState()" : "fields",
                    "explicit state contract: entries are matched by name when the update runs"));
        } else {
            planByName(from, to, fromVersion, entries);
        }
        List<String> refusals = new ArrayList<>();
        for (StateEntryPlan entry : entries) {
            if (entry.action() == Action.REFUSED) {
                refusals.add(entry.reason());
            }
        }
        Optional<String> refusal = refusals.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", refusals));
        return new PlannedTransfer(entries, from, to, fromVersion, transformation, refusal);
    }

    private static void planByName(StateSchema from, StateSchema to, Version fromVersion, List<StateEntryPlan> entries) {
        for (Map.Entry<String, Field> entry : to.fields().entrySet()) {
            String name = entry.getKey();
            Type toType = entry.getValue().getGenericType();
            Type fromType = from.typeOf(name);
            if (fromType == null) {
                entries.add(new StateEntryPlan(name, Action.NEW, null, toType.getTypeName(),
                        "only the new version has it; it keeps the value the new instance starts with"));
            } else if (TypeIdentity.same(fromType, toType)) {
                entries.add(new StateEntryPlan(name, Action.HANDED_OVER, fromType.getTypeName(), toType.getTypeName(),
                        TypeIdentity.opaque(toType)
                                ? "same declared type, handed over by reference (raw or Object: contents not checked)"
                                : "same type in both versions, handed over by reference"));
            } else {
                entries.add(new StateEntryPlan(name, Action.CONVERTED, fromType.getTypeName(), toType.getTypeName(),
                        "types differ; converted property by property, refused at update time if anything is lost"));
            }
        }
        for (Map.Entry<String, Field> entry : from.fields().entrySet()) {
            if (!to.fields().containsKey(entry.getKey())) {
                entries.add(new StateEntryPlan(entry.getKey(), Action.REFUSED, entry.getValue().getGenericType().getTypeName(), null,
                        "state field '" + entry.getKey() + "' of " + from.type().getName()
                                + " has no counterpart in " + to.type().getName()
                                + " and no transformer covers version " + fromVersion
                                + ": the default mapping would drop it"));
            }
        }
    }

    private static List<String> union(StateSchema from, StateSchema to) {
        List<String> names = new ArrayList<>(from.fields().keySet());
        for (String name : to.fields().keySet()) {
            if (!names.contains(name)) {
                names.add(name);
            }
        }
        return names;
    }
}
