package org.graft.container.internal.state;

import java.util.Map;
import java.util.Set;

import org.graft.transformer.StateReader;
import org.graft.transformer.StateType;

/** The state read from one instance, as transformers and importers see it. */
final class CapturedState implements StateReader {
    private final String version;
    private final Map<String, Object> values;
    private final StateCodec codec;

    CapturedState(String version, Map<String, Object> values, StateCodec codec) {
        this.version = version;
        this.values = values;
        this.codec = codec;
    }

    @Override
    public String version() {
        return version;
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
        require(name);
        return values.get(name);
    }

    @Override
    public <T> T get(String name, Class<T> type) {
        require(name);
        Object value = values.get(name);
        if (type.isInstance(value) && !TypeIdentity.opaque(type)) {
            return type.cast(value);
        }
        @SuppressWarnings("unchecked")
        T converted = (T) codec.convert("state entry '" + name + "' of version " + version, value, type);
        return converted;
    }

    @Override
    public <T> T get(String name, StateType<T> type) {
        require(name);
        @SuppressWarnings("unchecked")
        T converted = (T) codec.convert("state entry '" + name + "' of version " + version, values.get(name), type.type());
        return converted;
    }

    private void require(String name) {
        if (!values.containsKey(name)) {
            throw new IllegalArgumentException("version " + version + " has no state entry '" + name + "'; it has " + values.keySet());
        }
    }
}
