package org.graft.cluster.internal.rollout;

import java.util.Set;
import java.util.function.Consumer;

/**
 * Text records every node of the cluster reads and writes, with atomic compare-and-set: in Karaf, a
 * Hazelcast map of the Cellar cluster. A rollout and the versions of a group live here, so that any
 * node can show them and take over from a coordinator that left.
 */
public interface SharedRecords {
    /** The record, or null. */
    String get(String key);

    /** Writes the record if there is none; true if written. */
    boolean putIfAbsent(String key, String value);

    /** Replaces the record if it is exactly {@code expected}; true if replaced. */
    boolean replace(String key, String expected, String value);

    /** The keys that start with {@code prefix}. */
    Set<String> keys(String prefix);

    /**
     * Tells {@code listener} the key of every record written from now on, by any node, on a thread of the
     * store's own: the listener must not block. Closing the handle stops it.
     */
    AutoCloseable onChange(Consumer<String> listener);
}
