package org.graft.sample.api;

import java.util.List;
import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/** A stateful service whose state is a JDK map: both versions share its type. */
@ProviderType
public interface Catalog {
    /** Stores {@code value} under {@code key}. */
    void put(String key, String value);

    /** The value under {@code key}, or null. */
    String get(String key);

    /** How many entries there are. */
    int size();

    /** Adds {@code count} entries {@code prefix + i -> "v" + i}, for building large state quickly. */
    void fill(String prefix, int count);

    /** The live map that holds the state (not a copy): tests use it to prove hand-over by reference. */
    Map<String, String> backingMap();

    /** The implementation's major version, e.g. {@code "1"}. */
    String version();

    /**
     * What the update hooks did, in order, e.g. {@code ["v1 suspended", "v2 resumed"]}: every version
     * appends to the same list, which is handed over as state.
     */
    List<String> hookEvents();
}
