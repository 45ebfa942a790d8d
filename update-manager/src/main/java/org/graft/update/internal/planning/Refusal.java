package org.graft.update.internal.planning;

import java.util.List;

/**
 * An update cannot be applied, for the reasons given, each naming the bundle, the service or the state
 * entry. Thrown before anything of the update has changed the running system, so that a refusal always
 * means "nothing changed".
 */
public final class Refusal extends Exception {
    private static final long serialVersionUID = 1L;

    private final List<String> reasons;

    public Refusal(String reason) {
        this(List.of(reason), null);
    }

    public Refusal(String reason, Throwable cause) {
        this(List.of(reason), cause);
    }

    public Refusal(List<String> reasons) {
        this(reasons, null);
    }

    private Refusal(List<String> reasons, Throwable cause) {
        super(String.join("; ", reasons), cause);
        if (reasons.isEmpty()) {
            throw new IllegalArgumentException("a refusal needs a reason");
        }
        this.reasons = List.copyOf(reasons);
    }

    /** Each reason once, in the order found. */
    public List<String> reasons() {
        return reasons;
    }
}
