package org.graft.sample.counter.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.Test;

public class CountsToTalliesTest {

    @Test
    public void upgradeKeepsCountsAndOperations() {
        MapState v1 = new MapState();
        v1.set("counts", new ConcurrentHashMap<>(Map.of("a", 3L, "b", 1L)));
        v1.set("operations", new AtomicLong(4));
        long before = System.currentTimeMillis();

        MapState v2 = new MapState();
        new CountsToTallies().upgrade(v1, v2);

        @SuppressWarnings("unchecked")
        ConcurrentHashMap<String, Tally> tallies = (ConcurrentHashMap<String, Tally>) v2.get("tallies");
        assertEquals(2, tallies.size());
        assertEquals(3L, tallies.get("a").count());
        assertEquals(1L, tallies.get("b").count());
        assertTrue(tallies.get("a").updatedAtMillis() >= before);
        assertEquals(4L, ((AtomicLong) v2.get("operations")).get());
    }

    @Test
    public void downgradeUndoesUpgrade() {
        MapState v2 = new MapState();
        v2.set("tallies", new ConcurrentHashMap<>(Map.of("a", new Tally(5, 1L), "b", new Tally(2, 2L))));
        v2.set("operations", new AtomicLong(7));

        MapState v1 = new MapState();
        new CountsToTallies().downgrade(v2, v1);

        assertEquals(Map.of("a", 5L, "b", 2L), v1.get("counts"));
        assertTrue(v1.get("counts") instanceof ConcurrentHashMap);
        assertEquals(7L, ((AtomicLong) v1.get("operations")).get());
    }

    @Test
    public void emptyStateRoundTrips() {
        MapState v1 = new MapState();
        v1.set("counts", new ConcurrentHashMap<String, Long>());
        v1.set("operations", new AtomicLong());

        MapState v2 = new MapState();
        new CountsToTallies().upgrade(v1, v2);
        MapState back = new MapState();
        new CountsToTallies().downgrade(v2, back);

        assertEquals(Map.of(), back.get("counts"));
        assertEquals(0L, ((AtomicLong) back.get("operations")).get());
    }
}
