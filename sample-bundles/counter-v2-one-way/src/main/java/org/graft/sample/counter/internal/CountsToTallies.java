package org.graft.sample.counter.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.graft.transformer.StateTransformer;
import org.graft.transformer.StateReader;
import org.graft.transformer.StateType;
import org.graft.transformer.StateWriter;

/** From version 1's counts to version 2's tallies, with no way back: this version cannot be rolled back. */
public final class CountsToTallies implements StateTransformer {

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
}
