package org.graft.container.internal.state;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.graft.container.StateEntryPlan;
import org.graft.container.StatePlan;
import org.graft.container.StateTransferException;
import org.graft.container.StateTransfer;
import org.graft.container.StateTransferResult;
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
        return prepare().transfer(fromInstance, toInstance);
    }

    @Override
    public StateTransfer prepare() {
        return new PreparedTransfer(this);
    }

    Set<String> structural() {
        return structural;
    }

    StateSchema from() {
        return from;
    }

    StateSchema to() {
        return to;
    }

    Version fromVersion() {
        return fromVersion;
    }

    Optional<Transformation> transformation() {
        return transformation;
    }

    /** The running version's class, with its version: both versions' classes often share their name. */
    String fromName() {
        return from.type().getName() + " " + fromVersion;
    }

    /** The new version's class, with its version. */
    String toName() {
        return to.type().getName() + " " + toVersion;
    }
}
