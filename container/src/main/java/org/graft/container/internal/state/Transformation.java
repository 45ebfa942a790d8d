package org.graft.container.internal.state;

import org.graft.transformer.ReversibleStateTransformer;
import org.graft.transformer.StateReader;
import org.graft.transformer.StateTransformer;
import org.graft.transformer.StateWriter;

/** A declared transformer, applied up (it belongs to the new version) or down (to the old one). */
final class Transformation {
    private final StateTransformer transformer;
    private final boolean down;

    private Transformation(StateTransformer transformer, boolean down) {
        this.transformer = transformer;
        this.down = down;
    }

    static Transformation up(StateTransformer transformer) {
        return new Transformation(transformer, false);
    }

    static Transformation down(ReversibleStateTransformer transformer) {
        return new Transformation(transformer, true);
    }

    void apply(StateReader from, StateWriter to) throws Exception {
        if (down) {
            ((ReversibleStateTransformer) transformer).downgrade(from, to);
        } else {
            transformer.upgrade(from, to);
        }
    }

    String describe() {
        return transformer.getClass().getName() + (down ? " (downgrade)" : " (upgrade)");
    }
}
