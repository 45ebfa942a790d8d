package org.graft.container.internal.state;

import java.lang.reflect.InvocationTargetException;

import org.graft.transformer.ReversibleStateTransformer;
import org.graft.transformer.StateReader;
import org.graft.transformer.StateTransformer;
import org.graft.transformer.StateWriter;

/**
 * A declared transformer, applied up (it belongs to the new version) or down (to the old one). It is
 * created for each transfer, when the transfer runs: planning only knows its class.
 */
final class Transformation {
    private final Class<? extends StateTransformer> type;
    private final boolean down;

    private Transformation(Class<? extends StateTransformer> type, boolean down) {
        this.type = type;
        this.down = down;
    }

    static Transformation up(Class<? extends StateTransformer> type) {
        return new Transformation(type, false);
    }

    /** A transformer of the old version's, applied down: {@code type} must be reversible. */
    static Transformation down(Class<? extends StateTransformer> type) {
        if (!ReversibleStateTransformer.class.isAssignableFrom(type)) {
            throw new IllegalArgumentException(type.getName() + " is not a " + ReversibleStateTransformer.class.getSimpleName());
        }
        return new Transformation(type, true);
    }

    /** Creates the transformer and applies it; its constructor's failure is the transfer's. */
    void apply(StateReader from, StateWriter to) throws Exception {
        StateTransformer transformer;
        try {
            transformer = type.getConstructor().newInstance();
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("transformer " + type.getName() + " could not be created: its constructor threw "
                    + e.getCause(), e.getCause());
        }
        if (down) {
            ((ReversibleStateTransformer) transformer).downgrade(from, to);
        } else {
            transformer.upgrade(from, to);
        }
    }

    String describe() {
        return type.getName() + (down ? " (downgrade)" : " (upgrade)");
    }
}
