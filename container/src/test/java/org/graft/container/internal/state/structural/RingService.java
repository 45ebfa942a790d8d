package org.graft.container.internal.state.structural;

import org.graft.transformer.State;

/** A service whose declared state is a ring of its own class. */
public class RingService {
    @State
    final Ring ring = new Ring(4);
    /** Also declared, the same object as the ring's newest entry: sharing must survive the copy. */
    @State
    Ring.Entry pinned;

    public Ring ring() {
        return ring;
    }

    public Ring.Entry pinned() {
        return pinned;
    }

    public void pin() {
        pinned = ring.newest();
    }
}
