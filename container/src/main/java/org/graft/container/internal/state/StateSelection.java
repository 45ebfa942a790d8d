package org.graft.container.internal.state;

import java.util.Set;

/**
 * Which fields of an implementation are its state besides its {@code @State} fields: the ones the
 * configuration names for its identity (for classes nobody annotated), and whether a field that would
 * be reset refuses the update (strict).
 */
public record StateSelection(Set<String> configuredFields, boolean strict) {
    public static final StateSelection DECLARED_ONLY = new StateSelection(Set.of(), false);

    public StateSelection {
        configuredFields = Set.copyOf(configuredFields);
    }
}
