package org.graft.cluster.internal.rollout;

/** A rollout that did not start, for the reason given; nothing changed on any node. */
public final class RolloutRefused extends Exception {
    private static final long serialVersionUID = 1L;

    public RolloutRefused(String message) {
        super(message);
    }
}
