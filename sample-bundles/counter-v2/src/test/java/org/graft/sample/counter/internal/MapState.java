package org.graft.sample.counter.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import org.graft.transformer.StateReader;
import org.graft.transformer.StateType;
import org.graft.transformer.StateWriter;

/**
 * A stand-in for the container's state access: values are handed over as they are, except that a
 * number read as {@code Long} is converted, as the container does for an {@code AtomicLong}.
 */
final class MapState implements StateReader, StateWriter {
    final Map<String, Object> values = new HashMap<>();

    @Override
    public String version() {
        return "test";
    }

    @Override
    public Set<String> names() {
        return values.keySet();
    }

    @Override
    public boolean has(String name) {
        return values.containsKey(name);
    }

    @Override
    public Object get(String name) {
        if (!values.containsKey(name)) {
            throw new IllegalArgumentException("no state entry " + name);
        }
        return values.get(name);
    }

    @Override
    public <T> T get(String name, Class<T> type) {
        Object value = get(name);
        if (type == Long.class && value instanceof Number) {
            return type.cast(((Number) value).longValue());
        }
        return type.cast(value);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T get(String name, StateType<T> type) {
        return (T) get(name);
    }

    @Override
    public void set(String name, Object value) {
        values.put(name, value);
    }

    @Override
    public void fresh(String name) {
        values.remove(name);
    }
}
