package org.graft.container.internal.state;

import java.lang.reflect.Field;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.graft.container.StateEntryPlan;
import org.graft.container.StateEntryPlan.Action;
import org.graft.container.StateRehearsal;
import org.graft.container.StateRehearsal.Entry;
import org.graft.container.StateRehearsal.Outcome;
import org.graft.container.StateTransfer;
import org.graft.container.StateTransferException;
import org.graft.container.StateTransferResult;
import org.graft.transformer.StateHolder;

/**
 * One transfer of a {@link PlannedTransfer}: capture, convert or transform, then inject all at once;
 * and before it, its rehearsal on a {@link StateSnapshot}. Both use the one {@link StateCodec} made
 * here, so that the rehearsal leaves Jackson's (de)serializers and the conversion proofs built for the
 * exact classes of both versions, and the real transfer, run while calls are held, finds them ready.
 */
final class PreparedTransfer implements StateTransfer {
    private final PlannedTransfer plan;
    private final StateCodec codec = new StateCodec();

    PreparedTransfer(PlannedTransfer plan) {
        this.plan = plan;
    }

    /** For tests: the codec both the rehearsal and the transfer use. */
    StateCodec codec() {
        return codec;
    }

    @Override
    public StateRehearsal rehearse(Object fromInstance) {
        if (plan.refusal().isPresent()) {
            return new StateRehearsal(List.of(), List.of("state transfer refused: " + plan.refusal().get()), 0L, 0L);
        }
        StateSchema from = plan.from();
        if (from.explicit()) {
            return notRehearsed(List.of("(exported state)"), plan.fromName() + " exports its state itself (StateHolder.exportState),"
                    + " which Graft calls only while calls are held");
        }
        long start = System.nanoTime();
        Map<String, Object> captured;
        try {
            captured = from.capture(fromInstance);
        } catch (IllegalAccessException | RuntimeException e) {
            return new StateRehearsal(List.of(), List.of("reading the state of " + plan.fromName() + " failed: " + e), 0L, 0L);
        }
        Set<String> needed = plan.transformation().isPresent() ? captured.keySet() : converted();
        StateSnapshot.Taken snapshot = new StateSnapshot().take(captured, needed);
        long snapshotAt = System.nanoTime();
        List<Entry> entries = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        if (plan.transformation().isPresent()) {
            if (!snapshot.left().isEmpty()) {
                Map.Entry<String, String> first = snapshot.left().entrySet().iterator().next();
                return notRehearsed(new ArrayList<>(plan.to().explicit() ? captured.keySet() : plan.to().fields().keySet()),
                        "the transformer reads the whole state, and state entry '" + first.getKey() + "' is " + first.getValue());
            }
            rehearseTransformer(snapshot, entries, problems);
        } else if (plan.to().explicit()) {
            return notRehearsed(new ArrayList<>(captured.keySet()), plan.toName() + " imports its state itself (StateHolder.importState),"
                    + " which runs on the new instance only while calls are held");
        } else {
            rehearseMapping(captured, snapshot, entries, problems);
        }
        return new StateRehearsal(entries, problems, System.nanoTime() - snapshotAt, snapshotAt - start);
    }

    /** The entries the default mapping converts or copies: the only ones whose rehearsal does anything. */
    private Set<String> converted() {
        Set<String> names = new LinkedHashSet<>();
        for (StateEntryPlan entry : plan.entries()) {
            if (entry.action() == Action.CONVERTED) {
                names.add(entry.name());
            }
        }
        return names;
    }

    private void rehearseTransformer(StateSnapshot.Taken snapshot, List<Entry> entries, List<String> problems) {
        StateSchema to = plan.to();
        StagedState staged = new StagedState(to);
        CapturedState reader = new CapturedState(plan.fromVersion().toString(), snapshot.values(), codec);
        try {
            applyTransformer(reader, staged);
        } catch (StateTransferException e) {
            problems.add(e.getMessage());
            for (String name : to.fields().keySet()) {
                entries.add(new Entry(name, Outcome.REFUSED, "the transformer failed"));
            }
            return;
        }
        if (to.explicit()) {
            for (Map.Entry<String, Object> value : staged.values().entrySet()) {
                entries.add(new Entry(value.getKey(), Outcome.NOT_REHEARSED, "transformed; " + plan.toName()
                        + " imports it itself (importState), which runs on the new instance only while calls are held"));
            }
            return;
        }
        Set<String> written = new LinkedHashSet<>(staged.values().keySet());
        List<String> carried;
        try {
            carried = carryUnwritten(snapshot.values(), staged);
        } catch (StateTransferException e) {
            problems.add(e.getMessage());
            for (String name : to.fields().keySet()) {
                entries.add(new Entry(name, written.contains(name) ? Outcome.CARRIED : Outcome.REFUSED,
                        written.contains(name) ? "transformed" + count(staged.values().get(name)) : "neither written by the transformer nor carried"));
            }
            return;
        }
        for (String name : to.fields().keySet()) {
            if (written.contains(name)) {
                entries.add(new Entry(name, Outcome.CARRIED, "transformed" + count(staged.values().get(name))));
            } else if (carried.contains(name)) {
                entries.add(new Entry(name, Outcome.CARRIED, "not written by the transformer: carried by the default mapping"
                        + count(staged.values().get(name))));
            } else {
                entries.add(new Entry(name, Outcome.RESET, "declared fresh by the transformer: keeps the value the new instance starts with"));
            }
        }
    }

    /**
     * After a transformer: carries each entry of the new version that it neither set nor declared fresh by
     * the default mapping, from {@code captured} (the old state, or its snapshot) into {@code staged}.
     *
     * @return the entries carried so
     * @throws StateTransferException naming the entry and the transformer, if the default mapping cannot
     *         carry one: the update is refused rather than the entry silently reset
     */
    private List<String> carryUnwritten(Map<String, Object> captured, StagedState staged) throws StateTransferException {
        StateSchema from = plan.from();
        StateSchema to = plan.to();
        List<String> carried = new ArrayList<>();
        StructuralCopy copier = null;
        for (Map.Entry<String, Field> field : to.fields().entrySet()) {
            String name = field.getKey();
            if (staged.values().containsKey(name) || staged.fresh().contains(name)) {
                continue;
            }
            String omitted = "transformer " + plan.transformation().orElseThrow().describe() + " neither set nor declared fresh"
                    + " state entry '" + name + "' of " + plan.toName();
            String remedy = ": set it, or call to.fresh(\"" + name + "\") if it is meant to start with the new instance's value";
            Type fromType = from.explicit() ? null : from.typeOf(name);
            if (!captured.containsKey(name) || (!from.explicit() && fromType == null)) {
                throw new StateTransferException(omitted + ", and " + plan.fromName() + " has no such entry to carry" + remedy);
            }
            Object value = captured.get(name);
            Type toType = field.getValue().getGenericType();
            // an exported state has no declared types: its values are converted into the fields' types
            StatePlanner.Mapping mapping = fromType == null ? StatePlanner.Mapping.CONVERT : StatePlanner.mappingOf(fromType, toType);
            try {
                if (mapping == StatePlanner.Mapping.HAND_OVER) {
                    staged.set(name, value);
                } else if (mapping == StatePlanner.Mapping.COPY) {
                    if (copier == null) {
                        copier = new StructuralCopy(to.type().getClassLoader());
                    }
                    staged.set(name, copier.copy(value, "state entry '" + name + "'"));
                } else {
                    staged.set(name, codec.convert("state entry '" + name + "'", value, toType));
                }
            } catch (IllegalArgumentException e) {
                throw new StateTransferException(omitted + ", and the default mapping cannot carry it (" + e.getMessage() + ")" + remedy, e);
            }
            carried.add(name);
        }
        return carried;
    }

    private void rehearseMapping(Map<String, Object> captured, StateSnapshot.Taken snapshot, List<Entry> entries, List<String> problems) {
        StructuralCopy copier = plan.structural().isEmpty() ? null : new StructuralCopy(plan.to().type().getClassLoader());
        for (StateEntryPlan entry : plan.entries()) {
            String name = entry.name();
            if (entry.action() == Action.HANDED_OVER) {
                entries.add(new Entry(name, Outcome.CARRIED, "handed over by reference" + count(captured.get(name))));
                continue;
            }
            if (entry.action() != Action.CONVERTED) {
                continue;
            }
            if (snapshot.left().containsKey(name)) {
                entries.add(new Entry(name, Outcome.NOT_REHEARSED, snapshot.left().get(name)));
                continue;
            }
            if (Thread.currentThread().isInterrupted()) {
                problems.add("the rehearsal was interrupted before state entry '" + name + "'");
                return;
            }
            Object value = snapshot.values().get(name);
            try {
                if (plan.structural().contains(name)) {
                    copier.copy(value, "state entry '" + name + "'");
                    entries.add(new Entry(name, Outcome.CARRIED, "copied field by field" + count(value)));
                } else {
                    codec.convert("state entry '" + name + "'", value, plan.to().typeOf(name));
                    entries.add(new Entry(name, Outcome.CARRIED, "converted" + count(value)));
                }
            } catch (IllegalArgumentException e) {
                entries.add(new Entry(name, Outcome.REFUSED, e.getMessage()));
                problems.add(e.getMessage());
            }
        }
    }

    private static StateRehearsal notRehearsed(List<String> names, String reason) {
        List<Entry> entries = new ArrayList<>();
        for (String name : names) {
            entries.add(new Entry(name, Outcome.NOT_REHEARSED, reason));
        }
        return new StateRehearsal(entries, List.of(), 0L, 0L);
    }

    private static String count(Object value) {
        int size = StateSnapshot.size(value);
        return size < 0 ? "" : " (" + size + (size == 1 ? " element)" : " elements)");
    }

    @Override
    public StateTransferResult transfer(Object fromInstance, Object toInstance) throws StateTransferException {
        if (plan.refusal().isPresent()) {
            throw new StateTransferException("state transfer refused: " + plan.refusal().get());
        }
        StateSchema from = plan.from();
        StateSchema to = plan.to();
        long start = System.nanoTime();
        Map<String, Object> captured;
        try {
            captured = from.capture(fromInstance);
        } catch (IllegalAccessException | RuntimeException e) {
            throw new StateTransferException("reading the state of " + plan.fromName() + " failed: " + e, e);
        }
        long capturedAt = System.nanoTime();
        String fromVersion = plan.fromVersion().toString();
        CapturedState reader = new CapturedState(fromVersion, captured, codec);
        StagedState staged = new StagedState(to);
        boolean imported = false;
        List<String> unwritten = List.of();
        if (plan.transformation().isPresent()) {
            applyTransformer(reader, staged);
            if (!to.explicit()) {
                unwritten = carryUnwritten(captured, staged);
            }
            if (to.explicit()) {
                importInto(toInstance, new CapturedState(fromVersion, staged.values(), codec));
                imported = true;
            }
        } else if (to.explicit()) {
            importInto(toInstance, reader);
            imported = true;
        } else {
            mapByName(captured, staged);
        }
        long convertedAt = System.nanoTime();
        if (!imported) {
            inject(toInstance, staged.values());
        }
        long end = System.nanoTime();
        return new StateTransferResult(imported ? captured.size() : staged.values().size(),
                capturedAt - start, convertedAt - capturedAt, end - convertedAt, unwritten);
    }

    private void applyTransformer(CapturedState reader, StagedState staged) throws StateTransferException {
        Transformation transformation = plan.transformation().orElseThrow();
        try {
            transformation.apply(reader, staged);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StateTransferException("transformer " + transformation.describe() + " was interrupted", e);
        } catch (Exception e) {
            throw new StateTransferException("transformer " + transformation.describe() + " failed: " + e, e);
        }
    }

    private void importInto(Object toInstance, CapturedState state) throws StateTransferException {
        try {
            ((StateHolder) toInstance).importState(state);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StateTransferException(plan.toName() + ": importState was interrupted", e);
        } catch (Exception e) {
            throw new StateTransferException(plan.toName() + ": importState refused the state: " + e, e);
        }
    }

    private void mapByName(Map<String, Object> captured, StagedState staged) throws StateTransferException {
        // One copier for the whole instance, so that objects two fields share stay shared.
        StructuralCopy copier = plan.structural().isEmpty() ? null : new StructuralCopy(plan.to().type().getClassLoader());
        for (StateEntryPlan entry : plan.entries()) {
            String name = entry.name();
            try {
                if (entry.action() == Action.HANDED_OVER) {
                    staged.set(name, captured.get(name));
                } else if (entry.action() == Action.CONVERTED && plan.structural().contains(name)) {
                    staged.set(name, copier.copy(captured.get(name), "state entry '" + name + "'"));
                } else if (entry.action() == Action.CONVERTED && !plan.from().explicit()) {
                    staged.set(name, codec.convert("state entry '" + name + "'", captured.get(name), plan.to().typeOf(name)));
                }
            } catch (IllegalArgumentException e) {
                throw new StateTransferException(e.getMessage(), e);
            }
        }
        if (plan.from().explicit()) {
            mapExported(captured, staged);
        }
    }

    /** An exported map into fields: the same object where it fits the field, a conversion otherwise. */
    private void mapExported(Map<String, Object> exported, StagedState staged) throws StateTransferException {
        StateSchema from = plan.from();
        StateSchema to = plan.to();
        for (Map.Entry<String, Field> field : to.fields().entrySet()) {
            String name = field.getKey();
            if (!exported.containsKey(name)) {
                continue;
            }
            Object value = exported.get(name);
            Class<?> type = field.getValue().getType();
            try {
                boolean fits = value == null || (type.isInstance(value) && !TypeIdentity.opaque(field.getValue().getGenericType())
                        && value.getClass().getClassLoader() != from.type().getClassLoader());
                staged.set(name, fits ? value : codec.convert("state entry '" + name + "'", value, field.getValue().getGenericType()));
            } catch (IllegalArgumentException e) {
                throw new StateTransferException(e.getMessage(), e);
            }
        }
        for (String name : exported.keySet()) {
            if (!to.fields().containsKey(name)) {
                throw new StateTransferException("exported state entry '" + name + "' of " + plan.fromName() + " has no counterpart in "
                        + plan.toName() + ": the default mapping would drop it");
            }
        }
    }

    private void inject(Object toInstance, Map<String, Object> values) throws StateTransferException {
        for (Map.Entry<String, Object> value : values.entrySet()) {
            Field field = plan.to().fields().get(value.getKey());
            try {
                field.set(toInstance, value.getValue());
            } catch (IllegalAccessException | RuntimeException e) {
                throw new StateTransferException("writing state entry '" + value.getKey() + "' into "
                        + plan.toName() + " failed: " + e, e);
            }
        }
    }
}
