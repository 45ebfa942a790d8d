package org.graft.container.internal.state;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotSame;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import org.junit.Test;

/** Which values a rehearsal may read while calls run, and the copies it takes of them. */
public class StateSnapshotTest {
    record Tally(long count, Instant last) {
    }

    record Labelled(String label, List<String> tags) {
    }

    enum Colour { RED }

    /** Mutable, but only of scalars: a racy read sees each field whole. */
    static final class Counted {
        long count;
        String label;
    }

    /** Holds another object: a reader could see it half-built. */
    static final class Node {
        int value;
        Node next;
    }

    @Test
    public void anObjectOfScalarFieldsIsTakenAsItIs() throws Exception {
        Counted counted = new Counted();
        assertSame(counted, copy(counted));
        ConcurrentHashMap<String, Counted> map = new ConcurrentHashMap<>(Map.of("a", counted));
        assertEquals(map, copy(map));
    }

    private final StateSnapshot snapshot = new StateSnapshot();

    private Object copy(Object value) throws StateSnapshot.NotSafe {
        return snapshot.copy(value, 0);
    }

    private String refusal(Object value) {
        try {
            snapshot.copy(value, 0);
        } catch (StateSnapshot.NotSafe e) {
            return e.getMessage();
        }
        fail("a " + value.getClass().getName() + " was taken");
        return null;
    }

    @Test
    public void immutableValuesAreTakenAsTheyAre() throws Exception {
        for (Object value : List.of("s", 1L, BigInteger.TEN, Colour.RED, Instant.EPOCH, new Tally(3, Instant.EPOCH),
                List.of("a", "b"), Map.of("k", new Tally(1, Instant.EPOCH)))) {
            assertSame(value, copy(value));
        }
    }

    @Test
    public void atomicsAndConcurrentContainersAreCopiedIntoTheirOwnClass() throws Exception {
        AtomicLong operations = new AtomicLong(7);
        Object copied = copy(operations);
        assertNotSame(operations, copied);
        assertEquals(7L, ((AtomicLong) copied).get());
        LongAdder adder = new LongAdder();
        adder.add(5);
        assertEquals(5L, ((LongAdder) copy(adder)).sum());

        ConcurrentHashMap<String, Tally> tallies = new ConcurrentHashMap<>(Map.of("a", new Tally(1, Instant.EPOCH)));
        Object map = copy(tallies);
        assertEquals(ConcurrentHashMap.class, map.getClass());
        assertEquals(tallies, map);
        tallies.put("b", new Tally(2, Instant.EPOCH));
        assertEquals("the copy does not follow the live map", 1, ((Map<?, ?>) map).size());

        CopyOnWriteArrayList<String> list = new CopyOnWriteArrayList<>(List.of("x"));
        assertEquals(list, copy(list));
        assertNotSame(list, copy(list));
    }

    @Test
    public void aSortedConcurrentMapKeepsItsComparator() throws Exception {
        ConcurrentSkipListMap<String, Long> byLength = new ConcurrentSkipListMap<>(Comparator.comparing(String::length));
        byLength.put("ccc", 3L);
        byLength.put("a", 1L);
        ConcurrentSkipListMap<?, ?> copied = (ConcurrentSkipListMap<?, ?>) copy(byLength);
        assertSame(byLength.comparator(), copied.comparator());
        assertEquals(List.of("a", "ccc"), new ArrayList<>(copied.keySet()));
    }

    @Test
    public void aSynchronizedWrapperIsCopiedUnderItsLock() throws Exception {
        Map<String, Long> synced = Collections.synchronizedMap(new HashMap<>(Map.of("a", 1L)));
        Object copied = copy(synced);
        assertEquals(LinkedHashMap.class, copied.getClass());
        assertEquals(synced, copied);
    }

    @Test
    public void primitiveArraysAreCloned() throws Exception {
        long[] values = {1, 2};
        long[] copied = (long[]) copy(values);
        assertNotSame(values, copied);
        assertEquals(2L, copied[1]);
    }

    @Test
    public void whatIsNotSafeToReadWhileWrittenIsLeftOutNamingItsClass() {
        assertTrue(refusal(new HashMap<>()).contains("java.util.HashMap is not safe to read while calls run"));
        assertTrue(refusal(new ArrayList<>()).contains("java.util.ArrayList"));
        assertTrue(refusal(new Node()).contains(Node.class.getName()));
        assertTrue(refusal(new Object[] {"a"}).contains("[Ljava.lang.Object;"));
        assertTrue("a concurrent map holding mutable values", refusal(new ConcurrentHashMap<>(Map.of("n", new Node())))
                .contains("holding a " + Node.class.getName()));
        assertTrue("a record holding a mutable list", refusal(new Labelled("l", new ArrayList<>(List.of("t"))))
                .contains("holds a mutable java.util.ArrayList in tags"));
        assertTrue("an unmodifiable view of a mutable map", refusal(Collections.unmodifiableMap(new HashMap<>()))
                .contains("UnmodifiableMap"));
    }

    @Test
    public void aRecordOfImmutablesHoldingImmutablesIsTaken() throws Exception {
        Labelled labelled = new Labelled("l", List.of("t"));
        assertSame(labelled, copy(labelled));
    }

    @Test
    public void takeCopiesTheNamedEntriesAndNamesTheOnesLeftOut() {
        Map<String, Object> captured = new LinkedHashMap<>();
        captured.put("counts", new ConcurrentHashMap<>(Map.of("a", 1L)));
        captured.put("cache", new HashMap<>());
        captured.put("handedOver", new HashMap<>());
        StateSnapshot.Taken taken = snapshot.take(captured, Set.of("counts", "cache"));
        assertEquals(Set.of("counts"), taken.values().keySet());
        assertEquals(Set.of("cache"), taken.left().keySet());
    }
}
