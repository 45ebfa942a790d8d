package org.graft.container;

/** What happens to one state entry in an update. */
public final class StateEntryPlan {
    /** The kinds of hand-over. */
    public enum Action {
        /** The same object is handed over: both versions declare the same type. O(1). */
        HANDED_OVER,
        /** Converted property by property into the new version's type, checked for loss. */
        CONVERTED,
        /** Computed by the transformer. */
        TRANSFORMED,
        /** The entry exists only in the new version, which initializes it itself. */
        NEW,
        /** The update is refused because of this entry. */
        REFUSED,
        /**
         * An instance field of the running version that is not declared state (no {@code @State}, not
         * configured): it is not carried, and the new instance keeps the value it starts with.
         *
         * @since 1.3
         */
        RESET,
        /**
         * An instance field that holds framework wiring (a BundleContext, a tracker, a thread or
         * executor, a logger, a reference to another service): never carried, the new instance has its own.
         *
         * @since 1.3
         */
        WIRING
    }

    private final String name;
    private final Action action;
    private final String fromType;
    private final String toType;
    private final String reason;

    public StateEntryPlan(String name, Action action, String fromType, String toType, String reason) {
        this.name = name;
        this.action = action;
        this.fromType = fromType;
        this.toType = toType;
        this.reason = reason;
    }

    public String name() {
        return name;
    }

    public Action action() {
        return action;
    }

    /** The old version's declared type, or null where it has no such entry. */
    public String fromType() {
        return fromType;
    }

    /** The new version's declared type, or null where it has no such entry. */
    public String toType() {
        return toType;
    }

    public String reason() {
        return reason;
    }

    @Override
    public String toString() {
        return name + ": " + action + " (" + reason + ")";
    }
}
