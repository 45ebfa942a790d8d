package org.graft.container.internal.state;

import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.lang.reflect.Type;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import org.graft.transformer.StateWriter;

/**
 * State computed for a new instance, collected before any of it is written, so that a transformer
 * that fails halfway leaves the instance untouched.
 */
final class StagedState implements StateWriter {
    private final StateSchema schema;
    private final Map<String, Object> values = new LinkedHashMap<>();
    private final Set<String> fresh = new LinkedHashSet<>();

    StagedState(StateSchema schema) {
        this.schema = schema;
    }

    @Override
    public void fresh(String name) {
        if (!schema.explicit()) {
            field(name);
        }
        fresh.add(name);
    }

    /** The entries declared fresh: they keep the new instance's values. */
    Set<String> fresh() {
        return fresh;
    }

    private Field field(String name) {
        Field field = schema.fields().get(name);
        if (field == null) {
            throw new IllegalArgumentException(schema.type().getName() + " has no state entry '" + name
                    + "'; it has " + schema.fields().keySet());
        }
        return field;
    }

    @Override
    public void set(String name, Object value) {
        if (!schema.explicit()) {
            Field field = field(name);
            Class<?> type = boxed(field.getType());
            if (value == null ? field.getType().isPrimitive() : !type.isInstance(value)) {
                Type declared = field.getGenericType();
                throw new IllegalArgumentException("state entry '" + name + "' of " + schema.type().getName() + " is a "
                        + declared.getTypeName() + "; a " + (value == null ? "null" : value.getClass().getName())
                        + " does not fit");
            }
        }
        values.put(name, value);
    }

    Map<String, Object> values() {
        return values;
    }

    private static Class<?> boxed(Class<?> type) {
        return MethodType.methodType(type).wrap().returnType();
    }
}
