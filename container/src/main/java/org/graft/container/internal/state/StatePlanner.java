package org.graft.container.internal.state;

import java.lang.reflect.Field;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.graft.container.StateEntryPlan;
import org.graft.container.StateEntryPlan.Action;
import org.graft.container.StatePlan;
import org.osgi.framework.Version;

/** Plans the state hand-over between two implementation classes, from their declarations alone. */
public final class StatePlanner {
    private StatePlanner() {
    }

    public static StatePlan plan(Class<?> fromClass, Version fromVersion, Class<?> toClass, Version toVersion) {
        return plan(fromClass, fromVersion, toClass, toVersion, StateSelection.DECLARED_ONLY);
    }

    public static StatePlan plan(Class<?> fromClass, Version fromVersion, Class<?> toClass, Version toVersion,
            StateSelection selection) {
        StateSchema from;
        StateSchema to;
        Optional<Transformation> transformation;
        try {
            from = StateSchema.of(fromClass, selection.configuredFields());
            to = StateSchema.of(toClass, selection.configuredFields());
            transformation = TransformerResolver.resolve(fromClass, fromVersion, toClass, toVersion);
        } catch (IllegalArgumentException e) {
            return PlannedTransfer.refused(e.getMessage());
        }
        List<StateEntryPlan> entries = new ArrayList<>();
        Set<String> structural = new HashSet<>();
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
            planByName(from, to, fromVersion, toVersion, entries, structural);
        }
        listNotCarried(from, entries);
        List<String> refusals = new ArrayList<>();
        List<String> reset = new ArrayList<>();
        for (StateEntryPlan entry : entries) {
            if (entry.action() == Action.REFUSED) {
                refusals.add(entry.reason());
            } else if (entry.action() == Action.RESET) {
                reset.add(entry.name());
            }
        }
        if (selection.strict() && !reset.isEmpty()) {
            refusals.add("strict state: " + from.type().getName() + " " + fromVersion + " would lose the state in " + reset
                    + ", which is neither declared nor configured; name the fields to carry in state.fields (configuration"
                    + " org.graft.container), or let the update reset them (state.strict = false)");
        }
        Optional<String> refusal = refusals.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", refusals));
        return new PlannedTransfer(entries, structural, from, to, fromVersion, toVersion, transformation, refusal);
    }

    /** The running version's instance fields that are not state: wiring, or state that resets. */
    private static void listNotCarried(StateSchema from, List<StateEntryPlan> entries) {
        for (Field field : from.undeclared()) {
            if (entries.stream().anyMatch(entry -> entry.name().equals(field.getName()))) {
                continue;
            }
            String wiring = FieldRoles.wiring(field, from.type());
            entries.add(wiring != null
                    ? new StateEntryPlan(field.getName(), Action.WIRING, field.getGenericType().getTypeName(), null,
                            wiring + ": never carried, the new instance has its own")
                    : new StateEntryPlan(field.getName(), Action.RESET, field.getGenericType().getTypeName(), null,
                            "not declared as state (no @State, not in state.fields): the new instance keeps the value it"
                                    + " starts with"));
        }
    }

    /** How the default mapping carries an entry from one declared type to another. */
    enum Mapping {
        /** The same type in both versions: the same object. */
        HAND_OVER,
        /** The same fields in both versions' classes: copied object by object. */
        COPY,
        /** Otherwise: converted property by property, refused at update time if anything is lost. */
        CONVERT
    }

    /** The one rule for both the plan and a transformer's omissions ({@link PreparedTransfer}). */
    static Mapping mappingOf(Type fromType, Type toType) {
        if (TypeIdentity.same(fromType, toType)) {
            return Mapping.HAND_OVER;
        }
        return StructuralCopy.problem(fromType, toType) == null ? Mapping.COPY : Mapping.CONVERT;
    }

    private static void planByName(StateSchema from, StateSchema to, Version fromVersion, Version toVersion,
            List<StateEntryPlan> entries, Set<String> structural) {
        for (Map.Entry<String, Field> entry : to.fields().entrySet()) {
            String name = entry.getKey();
            Type toType = entry.getValue().getGenericType();
            Type fromType = from.typeOf(name);
            if (fromType == null) {
                entries.add(new StateEntryPlan(name, Action.NEW, null, toType.getTypeName(),
                        "only the new version has it; it keeps the value the new instance starts with"));
            } else if (mappingOf(fromType, toType) == Mapping.HAND_OVER) {
                entries.add(new StateEntryPlan(name, Action.HANDED_OVER, fromType.getTypeName(), toType.getTypeName(),
                        TypeIdentity.opaque(toType)
                                ? "same declared type, handed over by reference (raw or Object: contents not checked)"
                                : "same type in both versions, handed over by reference"));
            } else if (mappingOf(fromType, toType) == Mapping.COPY) {
                structural.add(name);
                entries.add(new StateEntryPlan(name, Action.CONVERTED, fromType.getTypeName(), toType.getTypeName(),
                        "the same fields in both versions' classes: copied object by object, sharing the objects of"
                                + " classes both versions share"));
            } else {
                entries.add(new StateEntryPlan(name, Action.CONVERTED, fromType.getTypeName(), toType.getTypeName(),
                        "types differ; converted property by property, refused at update time if anything is lost"));
            }
        }
        for (Map.Entry<String, Field> entry : from.fields().entrySet()) {
            if (!to.fields().containsKey(entry.getKey())) {
                entries.add(new StateEntryPlan(entry.getKey(), Action.REFUSED, entry.getValue().getGenericType().getTypeName(), null,
                        // The two classes often share their name: each is named with its version.
                        "state field '" + entry.getKey() + "' of " + from.type().getName() + " " + fromVersion
                                + " has no counterpart in " + to.type().getName() + " " + toVersion
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
