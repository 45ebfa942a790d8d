package org.graft.sample.api;

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

    /** The implementation's major version, e.g. {@code "1"}. */
    String version();
}
