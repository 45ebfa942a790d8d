package org.graft.container.internal.state;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.graft.container.StatePlan;
import org.graft.container.StateRehearsal;
import org.graft.container.StateRehearsal.Outcome;
import org.graft.container.StateTransfer;
import org.graft.transformer.State;
import org.graft.transformer.StateReader;
import org.graft.transformer.StateTransformer;
import org.graft.transformer.StateWriter;
import org.graft.transformer.UpgradeFrom;
import org.junit.Test;
import org.osgi.framework.Version;

/**
 * The rehearsal of a state transfer on live state: what it finds, that it changes nothing of the
 * running instance, and that it reads state safely while other threads write it.
 */
public class StateRehearsalTest {
    private static final Version V1 = new Version(1, 0, 0);
    private static final Version V2 = new Version(2, 0, 0);

    public record Tally(long count) {
    }

    public record BigTally(BigInteger count) {
    }

    static class CounterV1 {
        @State
        ConcurrentHashMap<String, Tally> tallies = new ConcurrentHashMap<>();
        @State
        AtomicLong operations = new AtomicLong();
        @State
        Map<String, Long> cache = new HashMap<>();
    }

    static class CounterV2 {
        @State
        ConcurrentHashMap<String, BigTally> tallies = new ConcurrentHashMap<>();
        @State
        AtomicLong operations = new AtomicLong();
        @State
        Map<String, Long> cache = new HashMap<>();
    }

    static class NarrowV2 {
        @State
        ConcurrentHashMap<String, Integer> tallies = new ConcurrentHashMap<>();
        @State
        AtomicLong operations = new AtomicLong();
        @State
        Map<String, Long> cache = new HashMap<>();
    }

    static class CountsV1 {
        @State
        ConcurrentHashMap<String, Long> counts = new ConcurrentHashMap<>();
    }

    public static final class Throwing implements StateTransformer {
        @Override
        public void upgrade(StateReader from, StateWriter to) {
            throw new IllegalStateException("no tallies today");
        }
    }

    @UpgradeFrom(versions = "[1,2)", transformer = Throwing.class)
    static class ThrowingV2 {
        @State
        ConcurrentHashMap<String, Long> counts = new ConcurrentHashMap<>();
    }

    /** Reads the old map as it is and empties it: only a snapshot keeps the running instance whole. */
    public static final class Emptying implements StateTransformer {
        @Override
        public void upgrade(StateReader from, StateWriter to) {
            @SuppressWarnings("unchecked")
            Map<String, Long> counts = (Map<String, Long>) from.get("counts");
            ConcurrentHashMap<String, Long> copy = new ConcurrentHashMap<>(counts);
            counts.clear();
            to.set("counts", copy);
        }
    }

    @UpgradeFrom(versions = "[1,2)", transformer = Emptying.class)
    static class EmptyingV2 {
        @State
        ConcurrentHashMap<String, Long> counts = new ConcurrentHashMap<>();
        @State
        long total = 5;
    }

    /** Sets the counts, and says the total starts anew. */
    public static final class EmptyingAndFresh implements StateTransformer {
        @Override
        public void upgrade(StateReader from, StateWriter to) {
            to.set("counts", new ConcurrentHashMap<>(from.get("counts", new org.graft.transformer.StateType<Map<String, Long>>() {})));
            to.fresh("total");
        }
    }

    @UpgradeFrom(versions = "[1,2)", transformer = EmptyingAndFresh.class)
    static class FreshTotalV2 {
        @State
        ConcurrentHashMap<String, Long> counts = new ConcurrentHashMap<>();
        @State
        long total = 5;
    }

    static class CountsAndTotalV1 {
        @State
        ConcurrentHashMap<String, Long> counts = new ConcurrentHashMap<>();
        @State
        long total;
    }

    /** Writes nothing at all. */
    public static final class Forgetful implements StateTransformer {
        @Override
        public void upgrade(StateReader from, StateWriter to) {
        }
    }

    @UpgradeFrom(versions = "[1,2)", transformer = Forgetful.class)
    static class ForgetfulV2 {
        @State
        ConcurrentHashMap<String, Long> counts = new ConcurrentHashMap<>();
        @State
        long total = 5;
    }

    static class SynchronizedV1 {
        @State
        Map<String, Long> counts = Collections.synchronizedMap(new HashMap<>());
    }

    static class SynchronizedV2 {
        @State
        Map<String, BigInteger> counts = new HashMap<>();
    }

    private static Map<String, StateRehearsal.Entry> byName(StateRehearsal rehearsal) {
        return rehearsal.entries().stream().collect(Collectors.toMap(StateRehearsal.Entry::name, Function.identity()));
    }

    @Test
    public void convertedEntriesAreRehearsedAndTheSamePreparedTransferThenRunsForReal() throws Exception {
        StatePlan plan = StatePlanner.plan(CounterV1.class, V1, CounterV2.class, V2);
        CounterV1 old = new CounterV1();
        old.tallies.put("a", new Tally(3));
        old.tallies.put("b", new Tally(4));
        old.operations.set(7);
        old.cache.put("c", 1L);
        StateTransfer transfer = plan.prepare();
        StateRehearsal rehearsal = transfer.rehearse(old);
        assertEquals(List.of(), rehearsal.problems());
        Map<String, StateRehearsal.Entry> entries = byName(rehearsal);
        assertEquals(Outcome.CARRIED, entries.get("tallies").outcome());
        assertEquals("converted (2 elements)", entries.get("tallies").detail());
        assertEquals(Outcome.CARRIED, entries.get("operations").outcome());
        assertEquals(Outcome.CARRIED, entries.get("cache").outcome());
        assertEquals("handed over by reference (1 element)", entries.get("cache").detail());
        assertTrue(rehearsal.complete());

        CounterV2 fresh = new CounterV2();
        assertEquals("the rehearsal wrote nothing", 0, fresh.tallies.size());
        transfer.transfer(old, fresh);
        assertEquals(BigInteger.valueOf(4), fresh.tallies.get("b").count());
        assertEquals(7L, fresh.operations.get());
    }

    @Test
    public void aValueTheConversionRefusesIsNamedWithItsPath() {
        StatePlan plan = StatePlanner.plan(CounterV1.class, V1, NarrowV2.class, V2);
        CounterV1 old = new CounterV1();
        old.tallies.put("a", new Tally(3));
        StateRehearsal rehearsal = plan.prepare().rehearse(old);
        StateRehearsal.Entry tallies = byName(rehearsal).get("tallies");
        assertEquals(Outcome.REFUSED, tallies.outcome());
        assertTrue(tallies.detail(), tallies.detail().contains("state entry 'tallies'"));
        assertEquals(1, rehearsal.problems().size());
    }

    @Test
    public void anEntryNotSafeToReadWhileCallsRunIsLeftOutAndNamed() {
        StatePlan plan = StatePlanner.plan(SynchronizedV1.class, V1, CounterV2Plain.class, V2);
        StateRehearsal rehearsal = plan.prepare().rehearse(new SynchronizedV1());
        assertEquals(List.of(), rehearsal.problems());
        assertTrue(byName(rehearsal).get("counts").detail(), rehearsal.complete());

        StatePlan unsafe = StatePlanner.plan(PlainMapV1.class, V1, SynchronizedV2.class, V2);
        StateRehearsal left = unsafe.prepare().rehearse(new PlainMapV1());
        StateRehearsal.Entry counts = byName(left).get("counts");
        assertEquals(Outcome.NOT_REHEARSED, counts.outcome());
        assertTrue(counts.detail(), counts.detail().contains("java.util.HashMap is not safe to read while calls run"));
        assertFalse(left.complete());
        assertEquals("left out is not a problem: the real transfer reads it while calls are held", List.of(), left.problems());
    }

    static class CounterV2Plain {
        @State
        Map<String, BigInteger> counts = new HashMap<>();
    }

    static class PlainMapV1 {
        @State
        Map<String, Long> counts = new HashMap<>();
    }

    @Test
    public void aTransformerThatThrowsIsFoundAndNamed() {
        StatePlan plan = StatePlanner.plan(CountsV1.class, V1, ThrowingV2.class, V2);
        StateRehearsal rehearsal = plan.prepare().rehearse(new CountsV1());
        assertEquals(1, rehearsal.problems().size());
        assertTrue(rehearsal.problems().get(0), rehearsal.problems().get(0).contains(Throwing.class.getName())
                && rehearsal.problems().get(0).contains("no tallies today"));
        assertEquals(Outcome.REFUSED, byName(rehearsal).get("counts").outcome());
    }

    @Test
    public void aTransformerChangingWhatItReadsChangesOnlyTheSnapshot() {
        StatePlan plan = StatePlanner.plan(CountsV1.class, V1, FreshTotalV2.class, V2);
        CountsV1 old = new CountsV1();
        old.counts.put("a", 1L);
        StateRehearsal rehearsal = plan.prepare().rehearse(old);
        assertEquals(List.of(), rehearsal.problems());
        assertEquals(Map.of("a", 1L), old.counts);
        assertEquals(Outcome.CARRIED, byName(rehearsal).get("counts").outcome());
        assertEquals("declared fresh", Outcome.RESET, byName(rehearsal).get("total").outcome());
    }

    /** State is never lost by omission: an entry the transformer leaves alone is refused if nothing can carry it... */
    @Test
    public void anEntryTheTransformerOmitsAndTheOldVersionLacksIsRefusedNamingIt() throws Exception {
        StatePlan plan = StatePlanner.plan(CountsV1.class, V1, EmptyingV2.class, V2);
        CountsV1 old = new CountsV1();
        StateRehearsal rehearsal = plan.prepare().rehearse(old);
        assertEquals(1, rehearsal.problems().size());
        String problem = rehearsal.problems().get(0);
        assertTrue(problem, problem.contains("neither set nor declared fresh state entry 'total'"));
        assertTrue(problem, problem.contains("has no such entry to carry: set it, or call to.fresh(\"total\")"));
        assertEquals(Outcome.REFUSED, byName(rehearsal).get("total").outcome());
        org.graft.container.StateTransferException refused = org.junit.Assert.assertThrows(
                org.graft.container.StateTransferException.class, () -> plan.prepare().transfer(old, new EmptyingV2()));
        assertTrue(refused.getMessage(), refused.getMessage().contains("neither set nor declared fresh state entry 'total'"));
    }

    /** ...and carried by the default mapping where the old version has it. */
    @Test
    public void entriesTheTransformerOmitsAreCarriedByTheDefaultMapping() throws Exception {
        StatePlan plan = StatePlanner.plan(CountsAndTotalV1.class, V1, ForgetfulV2.class, V2);
        CountsAndTotalV1 old = new CountsAndTotalV1();
        old.counts.put("a", 3L);
        old.total = 3;
        StateRehearsal rehearsal = plan.prepare().rehearse(old);
        assertEquals(List.of(), rehearsal.problems());
        assertEquals(Outcome.CARRIED, byName(rehearsal).get("total").outcome());
        assertTrue(byName(rehearsal).get("total").detail(), byName(rehearsal).get("total").detail().contains("carried by the default mapping"));
        ForgetfulV2 next = new ForgetfulV2();
        org.graft.container.StateTransferResult result = plan.prepare().transfer(old, next);
        assertEquals(List.of("counts", "total"), result.unwrittenEntries());
        assertEquals(3L, next.total);
        assertEquals(Map.of("a", 3L), next.counts);
    }

    /**
     * Writers change the live state nonstop while rehearsals run: each must read a consistent snapshot
     * and report no problem. Taking the synchronized map without its lock fails this at once
     * (ConcurrentModificationException from the copy).
     */
    @Test
    public void rehearsalsReadStateThatOtherThreadsWrite() throws Exception {
        StatePlan concurrent = StatePlanner.plan(CounterV1.class, V1, CounterV2.class, V2);
        StatePlan synced = StatePlanner.plan(SynchronizedV1.class, V1, CounterV2Plain.class, V2);
        CounterV1 live = new CounterV1();
        SynchronizedV1 liveSynced = new SynchronizedV1();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> writerFailure = new AtomicReference<>();
        CountDownLatch writing = new CountDownLatch(2);
        List<Thread> writers = new ArrayList<>();
        for (int w = 0; w < 2; w++) {
            int id = w;
            Thread writer = new Thread(() -> {
                writing.countDown();
                try {
                    for (long n = 0; !stop.get(); n++) {
                        String key = "k" + id + "-" + (n % 500);
                        live.tallies.put(key, new Tally(n));
                        live.operations.incrementAndGet();
                        liveSynced.counts.put(key, n);
                        if (n % 3 == 0) {
                            live.tallies.remove(key);
                            liveSynced.counts.remove(key);
                        }
                    }
                } catch (Throwable t) {
                    writerFailure.set(t);
                }
            }, "writer-" + w);
            writer.start();
            writers.add(writer);
        }
        writing.await();
        try {
            for (int i = 0; i < 400; i++) {
                StateRehearsal one = concurrent.prepare().rehearse(live);
                StateRehearsal two = synced.prepare().rehearse(liveSynced);
                assertEquals("round " + i, List.of(), one.problems());
                assertEquals("round " + i, List.of(), two.problems());
                assertTrue(one.complete() && two.complete());
            }
        } finally {
            stop.set(true);
            for (Thread writer : writers) {
                writer.join();
            }
        }
        assertEquals(null, writerFailure.get());
    }

    @Test
    public void theRehearsalFillsTheCodecTheRealTransferUses() throws Exception {
        StatePlan plan = StatePlanner.plan(CounterV1.class, V1, CounterV2.class, V2);
        CounterV1 old = new CounterV1();
        old.tallies.put("a", new Tally(1));
        PreparedTransfer transfer = (PreparedTransfer) plan.prepare();
        assertEquals(0, transfer.codec().cachedSerializers());
        transfer.rehearse(old);
        int cached = transfer.codec().cachedSerializers();
        assertTrue("the rehearsal left its serializers in the codec", cached > 0);
        CounterV2 fresh = new CounterV2();
        transfer.transfer(old, fresh);
        assertEquals("the real transfer found them there and built none", cached, transfer.codec().cachedSerializers());
        assertEquals(BigInteger.ONE, fresh.tallies.get("a").count());
    }
}
