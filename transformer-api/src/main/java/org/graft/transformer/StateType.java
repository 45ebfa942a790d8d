package org.graft.transformer;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;

/**
 * A generic type captured by subclassing, for reading converted state.
 *
 * <pre>{@code
 * new StateType<Map<String, Tally>>() {}
 * }</pre>
 *
 * @param <T> the captured type
 */
public abstract class StateType<T> {
    private final Type type;

    /** Captures the type argument of the anonymous subclass. */
    protected StateType() {
        Type superclass = getClass().getGenericSuperclass();
        if (!(superclass instanceof ParameterizedType)) {
            throw new IllegalStateException("StateType must be created with a type argument, e.g. new StateType<List<String>>() {}");
        }
        this.type = ((ParameterizedType) superclass).getActualTypeArguments()[0];
    }

    /** The captured type. */
    public final Type type() {
        return type;
    }

    @Override
    public String toString() {
        return "StateType<" + type.getTypeName() + ">";
    }
}
