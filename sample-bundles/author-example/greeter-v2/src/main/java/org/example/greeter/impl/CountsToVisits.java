package org.example.greeter.impl;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.graft.transformer.ReversibleStateTransformer;
import org.graft.transformer.StateReader;
import org.graft.transformer.StateType;
import org.graft.transformer.StateWriter;

/**
 * Between version 1's counts and version 2's visits, both ways, so that a rollback carries the state
 * down. Every entry of the new version's state must be written here: one left out keeps the value the
 * new instance started with.
 */
public final class CountsToVisits implements ReversibleStateTransformer {
    @Override
    public void upgrade(StateReader from, StateWriter to) {
        Map<String, Long> counts = from.get("counts", new StateType<Map<String, Long>>() {});
        long now = System.currentTimeMillis(); // version 1 kept no times: the update's is the best there is
        ConcurrentHashMap<String, Visits> visits = new ConcurrentHashMap<>();
        counts.forEach((name, count) -> visits.put(name, new Visits(count, now)));
        to.set("visits", visits);
    }

    @Override
    public void downgrade(StateReader from, StateWriter to) {
        Map<String, Visits> visits = from.get("visits", new StateType<Map<String, Visits>>() {});
        ConcurrentHashMap<String, Long> counts = new ConcurrentHashMap<>();
        visits.forEach((name, visit) -> counts.put(name, visit.count()));
        to.set("counts", counts);
    }
}
