package org.graft.sample.counter.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.graft.transformer.ReversibleStateTransformer;
import org.graft.transformer.StateReader;
import org.graft.transformer.StateType;
import org.graft.transformer.StateWriter;

/** Between version 1's counts (a long per key) and version 2's tallies. */
public final class CountsToTallies implements ReversibleStateTransformer {

    @Override
    public void upgrade(StateReader from, StateWriter to) {
        Map<String, Long> counts = from.get("counts", new StateType<Map<String, Long>>() {});
        // Version 1 kept no timestamps: the moment of the update is the best one available.
        long now = System.currentTimeMillis();
        ConcurrentHashMap<String, Tally> tallies = new ConcurrentHashMap<>();
        counts.forEach((key, count) -> tallies.put(key, new Tally(count, now)));
        to.set("tallies", tallies);
        to.set("operations", new AtomicLong(from.get("operations", Long.class)));
    }

    @Override
    public void downgrade(StateReader from, StateWriter to) {
        Map<String, Tally> tallies = from.get("tallies", new StateType<Map<String, Tally>>() {});
        ConcurrentHashMap<String, Long> counts = new ConcurrentHashMap<>();
        tallies.forEach((key, tally) -> counts.put(key, tally.count()));
        to.set("counts", counts);
        to.set("operations", new AtomicLong(from.get("operations", Long.class)));
    }
}
