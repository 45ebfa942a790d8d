package org.graft.cluster.internal.cellar;

import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

import org.graft.cluster.internal.rollout.SharedRecords;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;

/**
 * The rollout records in a Hazelcast map of the Cellar cluster's instance. Keys and values are plain
 * strings, so no node needs this bundle's classes to read them, and Hazelcast's compare-and-set
 * ({@code replace(key, expected, value)}, {@code putIfAbsent}) is atomic on the key's partition owner.
 * The map keeps a backup on every other node of a three-node group ({@code graft.*} in hazelcast.xml).
 */
final class HazelcastRecords implements SharedRecords {
    static final String MAP = "graft.rollouts";

    private final IMap<String, String> map;

    HazelcastRecords(HazelcastInstance hazelcast) {
        this.map = hazelcast.getMap(MAP);
    }

    @Override
    public String get(String key) {
        return map.get(key);
    }

    @Override
    public boolean putIfAbsent(String key, String value) {
        return map.putIfAbsent(key, value) == null;
    }

    @Override
    public boolean replace(String key, String expected, String value) {
        return map.replace(key, expected, value);
    }

    @Override
    public Set<String> keys(String prefix) {
        Set<String> keys = new TreeSet<>();
        for (String key : map.keySet()) {
            if (key.startsWith(prefix)) {
                keys.add(key);
            }
        }
        return keys;
    }

    @Override
    public AutoCloseable onChange(Consumer<String> listener) {
        String registration = map.addEntryListener(new KeyListener(listener), false);
        return () -> map.removeEntryListener(registration);
    }

    /** Tells the key of every write; the values are read afresh by whoever acts on it. */
    private static final class KeyListener implements EntryAddedListener<String, String>,
            EntryUpdatedListener<String, String>, EntryRemovedListener<String, String> {
        private final Consumer<String> listener;

        KeyListener(Consumer<String> listener) {
            this.listener = listener;
        }

        @Override
        public void entryAdded(EntryEvent<String, String> event) {
            listener.accept(event.getKey());
        }

        @Override
        public void entryUpdated(EntryEvent<String, String> event) {
            listener.accept(event.getKey());
        }

        @Override
        public void entryRemoved(EntryEvent<String, String> event) {
            listener.accept(event.getKey());
        }
    }
}
