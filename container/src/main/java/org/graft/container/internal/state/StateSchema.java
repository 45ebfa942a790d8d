package org.graft.container.internal.state;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.graft.transformer.State;
import org.graft.transformer.StateHolder;

/**
 * The state entries an implementation class declares: {@link State} fields and the fields the
 * configuration names for it, or a {@link StateHolder}; and the instance fields that are neither.
 */
final class StateSchema {
    private final Class<?> type;
    private final boolean explicit;
    private final Map<String, Field> fields;
    private final List<Field> undeclared;

    private StateSchema(Class<?> type, boolean explicit, Map<String, Field> fields, List<Field> undeclared) {
        this.type = type;
        this.explicit = explicit;
        this.fields = fields;
        this.undeclared = undeclared;
    }

    static StateSchema of(Class<?> type) {
        return of(type, Set.of());
    }

    /**
     * @param configured the names of fields to carry as if they were {@code @State}
     * @throws IllegalArgumentException naming the field, for a static or duplicate {@code @State}
     */
    static StateSchema of(Class<?> type, Set<String> configured) {
        if (StateHolder.class.isAssignableFrom(type)) {
            return new StateSchema(type, true, Collections.emptyMap(), List.of());
        }
        List<Field> undeclared = new ArrayList<>();
        Map<String, Field> fields = new LinkedHashMap<>();
        List<Class<?>> hierarchy = new ArrayList<>();
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            hierarchy.add(0, c);
        }
        for (Class<?> c : hierarchy) {
            for (Field field : c.getDeclaredFields()) {
                State state = field.getAnnotation(State.class);
                boolean instanceField = !Modifier.isStatic(field.getModifiers()) && !field.isSynthetic();
                if (state == null && !(instanceField && configured.contains(field.getName()))) {
                    // The JDK's own fields (of a superclass such as StandardMBean or AbstractList) are its
                    // internals, not the bundle's state: not listed, and never made accessible.
                    if (instanceField && !jdk(c)) {
                        undeclared.add(field);
                    }
                    continue;
                }
                if (Modifier.isStatic(field.getModifiers())) {
                    throw new IllegalArgumentException("@State field " + c.getName() + "." + field.getName()
                            + " is static: only instance fields are state");
                }
                String name = state == null || state.value().isEmpty() ? field.getName() : state.value();
                Field clash = fields.put(name, field);
                if (clash != null) {
                    throw new IllegalArgumentException("state entry '" + name + "' of " + type.getName()
                            + " is declared twice: " + clash + " and " + field);
                }
                try {
                    field.setAccessible(true);
                } catch (RuntimeException e) {
                    // InaccessibleObjectException: a field of a JDK class whose package is not opened.
                    throw new IllegalArgumentException("state field '" + name + "' (" + c.getName() + "." + field.getName()
                            + ") cannot be read: " + e.getMessage() + "; the JVM must open its package to unnamed modules"
                            + " (--add-opens " + c.getModule().getName() + "/" + c.getPackageName() + "=ALL-UNNAMED)", e);
                }
            }
        }
        return new StateSchema(type, false, Collections.unmodifiableMap(fields), List.copyOf(undeclared));
    }

    /** Whether the class is the JDK's own. */
    static boolean jdk(Class<?> type) {
        String name = type.getName();
        return name.startsWith("java.") || name.startsWith("javax.") || name.startsWith("jdk.") || name.startsWith("sun.")
                || name.startsWith("com.sun.");
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

    /** The instance fields that are not state entries, in declaration order, superclasses first. */
    List<Field> undeclared() {
        return undeclared;
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
