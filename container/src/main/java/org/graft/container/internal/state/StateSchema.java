package org.graft.container.internal.state;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.graft.transformer.State;
import org.graft.transformer.StateHolder;

/** The state entries an implementation class declares: {@link State} fields, or a {@link StateHolder}. */
final class StateSchema {
    private final Class<?> type;
    private final boolean explicit;
    private final Map<String, Field> fields;

    private StateSchema(Class<?> type, boolean explicit, Map<String, Field> fields) {
        this.type = type;
        this.explicit = explicit;
        this.fields = fields;
    }

    /** @throws IllegalArgumentException naming the field, for a static or duplicate {@code @State} */
    static StateSchema of(Class<?> type) {
        if (StateHolder.class.isAssignableFrom(type)) {
            return new StateSchema(type, true, Collections.emptyMap());
        }
        Map<String, Field> fields = new LinkedHashMap<>();
        List<Class<?>> hierarchy = new ArrayList<>();
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            hierarchy.add(0, c);
        }
        for (Class<?> c : hierarchy) {
            for (Field field : c.getDeclaredFields()) {
                State state = field.getAnnotation(State.class);
                if (state == null) {
                    continue;
                }
                if (Modifier.isStatic(field.getModifiers())) {
                    throw new IllegalArgumentException("@State field " + c.getName() + "." + field.getName()
                            + " is static: only instance fields are state");
                }
                String name = state.value().isEmpty() ? field.getName() : state.value();
                Field clash = fields.put(name, field);
                if (clash != null) {
                    throw new IllegalArgumentException("state entry '" + name + "' of " + type.getName()
                            + " is declared twice: " + clash + " and " + field);
                }
                field.setAccessible(true);
            }
        }
        return new StateSchema(type, false, Collections.unmodifiableMap(fields));
    }

    Class<?> type() {
        return type;
    }

    /** Whether the state is an explicit {@link StateHolder} contract rather than fields. */
    boolean explicit() {
        return explicit;
    }

    Map<String, Field> fields() {
        return fields;
    }

    Type typeOf(String name) {
        Field field = fields.get(name);
        return field == null ? null : field.getGenericType();
    }

    /** Reads every entry of {@code instance}. */
    Map<String, Object> capture(Object instance) throws IllegalAccessException {
        if (explicit) {
            Map<String, Object> exported = ((StateHolder) instance).exportState();
            return exported == null ? Map.of() : exported;
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (Map.Entry<String, Field> entry : fields.entrySet()) {
            values.put(entry.getKey(), entry.getValue().get(instance));
        }
        return values;
    }
}
