package org.graft.transformer;

import java.util.Set;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Read access to the state of another version of a managed service, given to transformers and to
 * {@link StateHolder#importState(StateReader)}.
 *
 * <p>A value can be read as it is ({@link #get(String)}: only useful for types both versions share)
 * or converted into a type of the reader's own bundle ({@link #get(String, Class)}), which is how a
 * new version reads state whose classes it cannot see.
 *
 * <pre>{@code
 * Map<String, Long> counts = from.get("counts", new StateType<Map<String, Long>>() {});
 * }</pre>
 */
@ProviderType
public interface StateReader {
    /** The version of the bundle whose state this is, e.g. {@code "1.0.0"}. */
    String version();

    /** The names of the state entries. */
    Set<String> names();

    /** Whether an entry of that name exists. */
    boolean has(String name);

    /**
     * The value as the other version holds it (the same object).
     *
     * @throws IllegalArgumentException if there is no such entry
     */
    Object get(String name);

    /**
     * The value converted into {@code type}, property by property.
     *
     * @throws IllegalArgumentException if there is no such entry, or it cannot be converted without loss
     */
    <T> T get(String name, Class<T> type);

    /** As {@link #get(String, Class)}, for generic types. */
    <T> T get(String name, StateType<T> type);
}
