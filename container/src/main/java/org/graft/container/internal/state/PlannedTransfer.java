package org.graft.container.internal.state;

import java.lang.reflect.Field;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.graft.container.StateEntryPlan;
import org.graft.container.StateEntryPlan.Action;
import org.graft.container.StatePlan;
import org.graft.container.StateTransferException;
import org.graft.container.StateTransferResult;
import org.graft.transformer.StateHolder;
import org.osgi.framework.Version;

/** A {@link StatePlan} and its execution: capture, convert or transform, then inject all at once. */
final class PlannedTransfer implements StatePlan {
    private final List<StateEntryPlan> entries;
    /** The converted entries copied by {@link StructuralCopy} rather than through Jackson. */
    private final Set<String> structural;
    private final StateSchema from;
    private final StateSchema to;
    private final Version fromVersion;
    private final Version toVersion;
    private final Optional<Transformation> transformation;
    private final Optional<String> refusal;

    PlannedTransfer(List<StateEntryPlan> entries, Set<String> structural, StateSchema from, StateSchema to, Version fromVersion, Version toVersion,
            Optional<Transformation> transformation, Optional<String> refusal) {
        this.entries = List.copyOf(entries);
        this.structural = Set.copyOf(structural);
        this.from = from;
        this.to = to;
        this.fromVersion = fromVersion;
        this.toVersion = toVersion;
        this.transformation = transformation;
        this.refusal = refusal;
    }

    static PlannedTransfer refused(String reason) {
        return new PlannedTransfer(List.of(), Set.of(), null, null, null, null, Optional.empty(), Optional.of(reason));
    }

    @Override
    public List<StateEntryPlan> entries() {
        return entries;
    }

    @Override
    public Optional<String> transformer() {
        return transformation.map(Transformation::describe);
    }

    @Override
    public Optional<String> refusal() {
        return refusal;
    }

    @Override
    public StateTransferResult transfer(Object fromInstance, Object toInstance) throws StateTransferException {
        if (refusal.isPresent()) {
            throw new StateTransferException("state transfer refused: " + refusal.get());
        }
        long start = System.nanoTime();
        Map<String, Object> captured;
        try {
            captured = from.capture(fromInstance);
        } catch (IllegalAccessException | RuntimeException e) {
            throw new StateTransferException("reading the state of " + fromName() + " failed: " + e, e);
        }
        long capturedAt = System.nanoTime();
        StateCodec codec = new StateCodec();
        CapturedState reader = new CapturedState(fromVersion.toString(), captured, codec);
        StagedState staged = new StagedState(to);
        boolean imported = false;
        List<String> unwritten = List.of();
        if (transformation.isPresent()) {
            applyTransformer(reader, staged);
            if (!to.explicit()) {
                unwritten = to.fields().keySet().stream().filter(name -> !staged.values().containsKey(name)).toList();
            }
            if (to.explicit()) {
                importInto(toInstance, new CapturedState(fromVersion.toString(), staged.values(), codec));
                imported = true;
            }
        } else if (to.explicit()) {
            importInto(toInstance, reader);
            imported = true;
        } else {
            mapByName(captured, codec, staged);
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
        try {
            transformation.get().apply(reader, staged);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StateTransferException("transformer " + transformation.get().describe() + " was interrupted", e);
        } catch (Exception e) {
            throw new StateTransferException("transformer " + transformation.get().describe() + " failed: " + e, e);
        }
    }

    private void importInto(Object toInstance, CapturedState state) throws StateTransferException {
        try {
            ((StateHolder) toInstance).importState(state);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StateTransferException(toName() + ": importState was interrupted", e);
        } catch (Exception e) {
            throw new StateTransferException(toName() + ": importState refused the state: " + e, e);
        }
    }

    private void mapByName(Map<String, Object> captured, StateCodec codec, StagedState staged) throws StateTransferException {
        // One copier for the whole instance, so that objects two fields share stay shared.
        StructuralCopy copier = structural.isEmpty() ? null : new StructuralCopy(to.type().getClassLoader());
        for (StateEntryPlan entry : entries) {
            String name = entry.name();
            try {
                if (entry.action() == Action.HANDED_OVER) {
                    staged.set(name, captured.get(name));
                } else if (entry.action() == Action.CONVERTED && structural.contains(name)) {
                    staged.set(name, copier.copy(captured.get(name), "state entry '" + name + "'"));
                } else if (entry.action() == Action.CONVERTED && !from.explicit()) {
                    staged.set(name, codec.convert("state entry '" + name + "'", captured.get(name), to.typeOf(name)));
                }
            } catch (IllegalArgumentException e) {
                throw new StateTransferException(e.getMessage(), e);
            }
        }
        if (from.explicit()) {
            mapExported(captured, codec, staged);
        }
    }

    /** An exported map into fields: the same object where it fits the field, a conversion otherwise. */
    private void mapExported(Map<String, Object> exported, StateCodec codec, StagedState staged) throws StateTransferException {
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
                throw new StateTransferException("exported state entry '" + name + "' of " + fromName() + " has no counterpart in "
                        + toName() + ": the default mapping would drop it");
            }
        }
    }

    private void inject(Object toInstance, Map<String, Object> values) throws StateTransferException {
        for (Map.Entry<String, Object> value : values.entrySet()) {
            Field field = to.fields().get(value.getKey());
            try {
                field.set(toInstance, value.getValue());
            } catch (IllegalAccessException | RuntimeException e) {
                throw new StateTransferException("writing state entry '" + value.getKey() + "' into "
                        + toName() + " failed: " + e, e);
            }
        }
    }

    /** The running version's class, with its version: both versions' classes often share their name. */
    private String fromName() {
        return from.type().getName() + " " + fromVersion;
    }

    /** The new version's class, with its version. */
    private String toName() {
        return to.type().getName() + " " + toVersion;
    }
}
