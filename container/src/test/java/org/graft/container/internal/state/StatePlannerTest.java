package org.graft.container.internal.state;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.math.BigInteger;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.graft.container.StateEntryPlan;
import org.graft.container.StateEntryPlan.Action;
import org.graft.container.StatePlan;
import org.graft.container.StateTransferException;
import org.graft.container.StateTransferResult;
import org.graft.transformer.ReversibleStateTransformer;
import org.graft.transformer.State;
import org.graft.transformer.StateHolder;
import org.graft.transformer.StateReader;
import org.graft.transformer.StateTransformer;
import org.graft.transformer.StateType;
import org.graft.transformer.StateWriter;
import org.graft.transformer.UpgradeFrom;
import org.junit.Test;
import org.osgi.framework.Version;

/** Planning and executing the state hand-over between an "old" and a "new" implementation class. */
public class StatePlannerTest {
    private static final Version V1 = new Version(1, 0, 0);
    private static final Version V1_5 = new Version(1, 5, 0);
    private static final Version V2 = new Version(2, 0, 0);
    private static final Version V2_1 = new Version(2, 1, 0);

    // ---- classes standing for versions of one implementation ----

    static class CountsV1 {
        @State
        Map<String, Long> counts = new HashMap<>();
    }

    static class CountsV2 {
        @State
        Map<String, Long> counts = new HashMap<>();
    }

    static class CountsAsBigV2 {
        @State
        Map<String, BigInteger> counts = new HashMap<>();
    }

    static class TotalV1 {
        @State
        long total;
    }

    static class TotalBigV2 {
        @State
        BigInteger total;
    }

    static class CountsAndTotalV1 {
        @State
        Map<String, Long> counts = new HashMap<>();
        @State
        double total = 1.5;
    }

    static class CountsAndTotalV2 {
        final Map<String, Long> initialCounts = new HashMap<>();
        @State
        Map<String, Long> counts = initialCounts;
        @State
        long total = 7;
    }

    static class CountsWithNoteV1 {
        @State
        Map<String, Long> counts = new HashMap<>();
        @State
        String note = "old";
    }

    static class CountsWithNoteV2 {
        @State
        Map<String, Long> counts = new HashMap<>();
        @State
        String note = "fresh";
    }

    public static final class Tally {
        public long count;

        public Tally() {
        }

        public Tally(long count) {
            this.count = count;
        }
    }

    public static final class CountsToTallies implements ReversibleStateTransformer {
        static volatile int upgrades;
        static volatile int downgrades;

        public CountsToTallies() {
        }

        @Override
        public void upgrade(StateReader from, StateWriter to) {
            upgrades++;
            Map<String, Long> counts = from.get("counts", new StateType<Map<String, Long>>() { });
            Map<String, Tally> tallies = new TreeMap<>();
            counts.forEach((k, v) -> tallies.put(k, new Tally(v)));
            to.set("tallies", tallies);
        }

        @Override
        public void downgrade(StateReader from, StateWriter to) {
            downgrades++;
            Map<String, Tally> tallies = from.get("tallies", new StateType<Map<String, Tally>>() { });
            Map<String, Long> counts = new HashMap<>();
            tallies.forEach((k, t) -> counts.put(k, t.count));
            to.set("counts", counts);
        }
    }

    @UpgradeFrom(versions = "[1.0.0,2.0.0)", transformer = CountsToTallies.class)
    static class TalliesV2 {
        @State
        Map<String, Tally> tallies = new TreeMap<>();
    }

    /** A release whose transformer (CountsToTallies) writes only tallies. */
    @UpgradeFrom(versions = "[1.0.0,2.0.0)", transformer = CountsToTallies.class)
    static class TalliesAndOperationsV2 {
        @State
        Map<String, Tally> tallies = new TreeMap<>();
        @State
        long operations = 42;
    }

    public static final class OneWay implements StateTransformer {
        public OneWay() {
        }

        @Override
        public void upgrade(StateReader from, StateWriter to) {
            to.set("tallies", new TreeMap<String, Tally>());
        }
    }

    @UpgradeFrom(versions = "[1.0.0,2.0.0)", transformer = OneWay.class)
    static class OneWayTalliesV2 {
        @State
        Map<String, Tally> tallies = new TreeMap<>();
    }

    public static final class Exploding implements StateTransformer {
        public Exploding() {
        }

        @Override
        public void upgrade(StateReader from, StateWriter to) {
            Map<String, Tally> partial = new TreeMap<>();
            partial.put("half", new Tally(1));
            to.set("tallies", partial);
            throw new IllegalStateException("boom halfway");
        }
    }

    @UpgradeFrom(versions = "[1.0.0,2.0.0)", transformer = Exploding.class)
    static class ExplodingV2 {
        final Map<String, Tally> initial = new TreeMap<>();
        @State
        Map<String, Tally> tallies = initial;
    }

    /** A transformer whose constructor a plan must not run: it is the service author's code. */
    public static final class Counted implements StateTransformer {
        static final AtomicInteger CREATED = new AtomicInteger();

        public Counted() {
            CREATED.incrementAndGet();
        }

        @Override
        public void upgrade(StateReader from, StateWriter to) {
            to.set("tallies", new TreeMap<String, Tally>());
        }
    }

    @UpgradeFrom(versions = "[1.0.0,2.0.0)", transformer = Counted.class)
    static class CountedTalliesV2 {
        @State
        Map<String, Tally> tallies = new TreeMap<>();
    }

    @UpgradeFrom(versions = "[1.0.0,3.0.0)", transformer = OneWay.class)
    @UpgradeFrom(versions = "[1.0.0,2.0.0)", transformer = CountsToTallies.class)
    static class AmbiguousV2 {
        @State
        Map<String, Tally> tallies = new TreeMap<>();
    }

    static class CacheV1 implements StateHolder {
        final Map<String, String> entries = new HashMap<>(Map.of("k", "v"));

        @Override
        public Map<String, Object> exportState() {
            Map<String, Object> state = new LinkedHashMap<>();
            state.put("entries", entries);
            state.put("hits", 5L);
            return state;
        }

        @Override
        public void importState(StateReader previous) {
            throw new UnsupportedOperationException();
        }
    }

    static class CacheV2 implements StateHolder {
        Map<String, String> entries = new HashMap<>();
        long hits;
        Object rawEntries;
        String previousVersion;
        Set<String> previousNames;

        @Override
        public Map<String, Object> exportState() {
            return Map.of("entries", entries, "hits", hits);
        }

        @Override
        public void importState(StateReader previous) {
            rawEntries = previous.get("entries");
            entries = previous.get("entries", new StateType<Map<String, String>>() { });
            hits = previous.get("hits", Long.class);
            previousVersion = previous.version();
            previousNames = Set.copyOf(previous.names());
        }
    }

    static class RefusingCache implements StateHolder {
        @Override
        public Map<String, Object> exportState() {
            return Map.of();
        }

        @Override
        public void importState(StateReader previous) throws Exception {
            throw new Exception("not my format");
        }
    }

    static class FieldsCacheV2 {
        @State
        Map<String, String> entries = new HashMap<>();
        @State
        long hits;
    }

    static class EntriesOnlyV2 {
        @State
        Map<String, String> entries = new HashMap<>();
    }

    static class StaticState {
        @State
        static long shared;
    }

    static class DuplicateName {
        @State("x")
        long a;
        @State("x")
        long b;
    }

    // ---- helpers ----

    private static Map<String, StateEntryPlan> byName(StatePlan plan) {
        Map<String, StateEntryPlan> entries = new LinkedHashMap<>();
        for (StateEntryPlan entry : plan.entries()) {
            entries.put(entry.name(), entry);
        }
        return entries;
    }

    private static StateTransferException transferFails(StatePlan plan, Object from, Object to) {
        try {
            plan.transfer(from, to);
        } catch (StateTransferException e) {
            return e;
        }
        fail("the transfer was expected to fail");
        return null;
    }

    @Test
    public void aTransformerThatLeavesAnEntryUnwrittenThatNothingCarriesFailsTheTransferAndWritesNothing() throws Exception {
        StatePlan plan = StatePlanner.plan(CountsV1.class, V1, TalliesAndOperationsV2.class, V2);
        assertFalse(plan.refusal().isPresent());
        CountsV1 old = new CountsV1();
        old.counts.put("a", 3L);
        TalliesAndOperationsV2 fresh = new TalliesAndOperationsV2();
        StateTransferException e = transferFails(plan, old, fresh);
        assertTrue(e.getMessage(), e.getMessage().contains("neither set nor declared fresh state entry 'operations'"));
        assertTrue("nothing was written into the new instance", fresh.tallies.isEmpty());
        assertEquals(42L, fresh.operations);
    }

    // ---- by name ----

    @Test
    public void sameDeclaredTypeIsHandedOverAsTheSameObject() throws Exception {
        StatePlan plan = StatePlanner.plan(CountsV1.class, V1, CountsV2.class, V2);
        assertFalse(plan.refusal().isPresent());
        assertEquals(Action.HANDED_OVER, byName(plan).get("counts").action());

        CountsV1 old = new CountsV1();
        old.counts.put("a", 3L);
        CountsV2 fresh = new CountsV2();
        StateTransferResult result = plan.transfer(old, fresh);
        assertSame(old.counts, fresh.counts);
        assertEquals(1, result.entries());
    }

    @Test
    public void differingTypesAreConverted() throws Exception {
        StatePlan plan = StatePlanner.plan(CountsV1.class, V1, CountsAsBigV2.class, V2);
        assertEquals(Action.CONVERTED, byName(plan).get("counts").action());
        CountsV1 old = new CountsV1();
        old.counts.put("a", Long.MAX_VALUE);
        CountsAsBigV2 fresh = new CountsAsBigV2();
        plan.transfer(old, fresh);
        assertEquals(Map.of("a", BigInteger.valueOf(Long.MAX_VALUE)), fresh.counts);

        StatePlan primitive = StatePlanner.plan(TotalV1.class, V1, TotalBigV2.class, V2);
        assertEquals(Action.CONVERTED, byName(primitive).get("total").action());
        TotalV1 t = new TotalV1();
        t.total = -42;
        TotalBigV2 big = new TotalBigV2();
        primitive.transfer(t, big);
        assertEquals(BigInteger.valueOf(-42), big.total);
    }

    @Test
    public void lossyConversionFailsAtTransferNamingTheEntryAndLeavesNewInstanceUntouched() {
        StatePlan plan = StatePlanner.plan(CountsAndTotalV1.class, V1, CountsAndTotalV2.class, V2);
        assertFalse(plan.refusal().isPresent());
        assertEquals(Action.HANDED_OVER, byName(plan).get("counts").action());
        assertEquals(Action.CONVERTED, byName(plan).get("total").action());

        CountsAndTotalV1 old = new CountsAndTotalV1();
        CountsAndTotalV2 fresh = new CountsAndTotalV2();
        StateTransferException e = transferFails(plan, old, fresh);
        assertTrue(e.getMessage(), e.getMessage().contains("'total'"));
        assertSame("an entry was written although the transfer failed", fresh.initialCounts, fresh.counts);
        assertEquals(7L, fresh.total);
    }

    @Test
    public void fieldOnlyInOldVersionIsRefusedNamingIt() {
        StatePlan plan = StatePlanner.plan(CountsWithNoteV1.class, V1, CountsV2.class, V2);
        assertEquals(Action.REFUSED, byName(plan).get("note").action());
        assertTrue(plan.refusal().isPresent());
        assertTrue(plan.refusal().get(), plan.refusal().get().contains("'note'"));

        CountsV2 fresh = new CountsV2();
        Map<String, Long> initial = fresh.counts;
        StateTransferException e = transferFails(plan, new CountsWithNoteV1(), fresh);
        assertTrue(e.getMessage(), e.getMessage().contains("'note'"));
        assertSame(initial, fresh.counts);
    }

    /** A service whose class extends a JDK class with private fields of its own (as LogMBeanImpl extends StandardMBean). */
    static class TaskV1 extends java.util.TimerTask {
        final java.util.List<String> runs = new java.util.ArrayList<>();

        @Override
        public void run() {
            runs.add("ran");
        }
    }

    static class TaskV2 extends java.util.TimerTask {
        final java.util.List<String> runs = new java.util.ArrayList<>();

        @Override
        public void run() {
            runs.add("ran");
        }
    }

    @Test
    public void fieldsTheJdkDeclaresAreNeitherListedNorMadeAccessible() throws Exception {
        StatePlan plan = StatePlanner.plan(TaskV1.class, V1, TaskV2.class, V2);
        assertFalse(plan.refusal().toString(), plan.refusal().isPresent());
        assertEquals("only the class's own field is listed: " + plan.entries(), Set.of("runs"), byName(plan).keySet());
        assertEquals(Action.RESET, byName(plan).get("runs").action());
    }

    @Test
    public void aConfiguredFieldOfAClosedJdkPackageIsRefusedSayingWhichPackageToOpen() {
        StatePlan plan = StatePlanner.plan(TaskV1.class, V1, TaskV2.class, V2, new StateSelection(Set.of("state"), false));
        assertTrue(plan.refusal().toString(), plan.refusal().isPresent() && plan.refusal().get().contains("--add-opens java.base/java.util"));
    }

    @Test
    public void planningCreatesNoTransformerAndEachTransferCreatesOne() throws Exception {
        int before = Counted.CREATED.get();
        StatePlan plan = StatePlanner.plan(CountsV1.class, V1, CountedTalliesV2.class, V2);
        assertFalse(plan.refusal().isPresent());
        assertEquals("planning (and so a dry run) runs no code of the service author's", before, Counted.CREATED.get());
        plan.transfer(new CountsV1(), new CountedTalliesV2());
        assertEquals(before + 1, Counted.CREATED.get());
    }

    @Test
    public void fieldOnlyInNewVersionIsNewAndKeepsItsInitialValue() throws Exception {
        StatePlan plan = StatePlanner.plan(CountsV1.class, V1, CountsWithNoteV2.class, V2);
        assertFalse(plan.refusal().isPresent());
        assertEquals(Action.NEW, byName(plan).get("note").action());
        assertEquals(Action.HANDED_OVER, byName(plan).get("counts").action());

        CountsV1 old = new CountsV1();
        CountsWithNoteV2 fresh = new CountsWithNoteV2();
        plan.transfer(old, fresh);
        assertEquals("fresh", fresh.note);
        assertSame(old.counts, fresh.counts);
    }

    static final class StatsV1Value {
        double average = Double.NaN;
        long samples;
    }

    static final class StatsV2Value {
        double average;
        long samples;
    }

    static class StatsV1 {
        @State
        Map<String, StatsV1Value> stats = new HashMap<>(Map.of("idle", new StatsV1Value()));
    }

    static class StatsV2 {
        @State
        Map<String, StatsV2Value> stats = new HashMap<>();
    }

    /** A converted bean holding NaN (an average of no samples) loses nothing and must be carried over. */
    @Test
    public void convertedStateHoldingNanIsCarriedOver() throws Exception {
        StatePlan plan = StatePlanner.plan(StatsV1.class, V1, StatsV2.class, V2);
        assertEquals(Action.CONVERTED, byName(plan).get("stats").action());
        StatsV2 fresh = new StatsV2();
        try {
            plan.transfer(new StatsV1(), fresh);
        } catch (StateTransferException e) {
            throw new AssertionError("transfer of a NaN average was refused: " + e.getMessage(), e);
        }
        assertTrue(Double.isNaN(fresh.stats.get("idle").average));
    }

    static final class SessionV1 {
        java.time.Instant started = java.time.Instant.EPOCH;
    }

    static final class SessionV2 {
        java.time.Instant started;
    }

    static class SessionsV1 {
        @State
        Map<String, SessionV1> sessions = new HashMap<>(Map.of("s", new SessionV1()));
    }

    static class SessionsV2 {
        @State
        Map<String, SessionV2> sessions = new HashMap<>();
    }

    /** StatePlan.transfer: "@throws StateTransferException naming the entry and the cause". */
    @Test
    public void entryTheCodecCannotReadFailsNamingTheEntry() {
        StatePlan plan = StatePlanner.plan(SessionsV1.class, V1, SessionsV2.class, V2);
        assertEquals(Action.CONVERTED, byName(plan).get("sessions").action());
        SessionsV2 fresh = new SessionsV2();
        Map<String, SessionV2> initial = fresh.sessions;
        StateTransferException e = transferFails(plan, new SessionsV1(), fresh);
        assertSame(initial, fresh.sessions);
        assertTrue(e.getMessage(), e.getMessage().contains("'sessions'"));
    }

    static class FinalCountsV1 {
        @State
        private final Map<String, Long> counts = new java.util.concurrent.ConcurrentHashMap<>();
    }

    static class FinalCountsV2 {
        @State
        private final Map<String, Long> counts = new java.util.concurrent.ConcurrentHashMap<>();
    }

    /** The shape @State's own documentation shows: a private final field. */
    @Test
    public void privateFinalStateFieldIsHandedOver() throws Exception {
        StatePlan plan = StatePlanner.plan(FinalCountsV1.class, V1, FinalCountsV2.class, V2);
        assertEquals(Action.HANDED_OVER, byName(plan).get("counts").action());
        FinalCountsV1 old = new FinalCountsV1();
        old.counts.put("a", 1L);
        FinalCountsV2 fresh = new FinalCountsV2();
        plan.transfer(old, fresh);
        assertSame(old.counts, fresh.counts);
    }

    // ---- transformers ----

    @Test
    public void upgradeFromOnNewClassCoveringOldVersionTransforms() throws Exception {
        StatePlan plan = StatePlanner.plan(CountsV1.class, V1_5, TalliesV2.class, V2);
        assertFalse(plan.refusal().isPresent());
        Map<String, StateEntryPlan> entries = byName(plan);
        assertEquals(Action.TRANSFORMED, entries.get("counts").action());
        assertEquals(Action.TRANSFORMED, entries.get("tallies").action());
        assertTrue(plan.transformer().isPresent());
        assertTrue(plan.transformer().get(), plan.transformer().get().contains(CountsToTallies.class.getName()));
        assertTrue(plan.transformer().get(), plan.transformer().get().contains("upgrade"));

        CountsV1 old = new CountsV1();
        old.counts.put("a", 2L);
        old.counts.put("b", 9L);
        TalliesV2 fresh = new TalliesV2();
        int before = CountsToTallies.upgrades;
        plan.transfer(old, fresh);
        assertEquals(before + 1, CountsToTallies.upgrades);
        assertEquals(2L, fresh.tallies.get("a").count);
        assertEquals(9L, fresh.tallies.get("b").count);
    }

    @Test
    public void upgradeFromNotCoveringOldVersionIsNotUsed() {
        StatePlan plan = StatePlanner.plan(CountsV1.class, V2_1, TalliesV2.class, new Version(3, 0, 0));
        assertFalse(plan.transformer().isPresent());
        assertEquals(Action.REFUSED, byName(plan).get("counts").action());
        assertEquals(Action.NEW, byName(plan).get("tallies").action());
        assertTrue(plan.refusal().get(), plan.refusal().get().contains("'counts'"));
    }

    @Test
    public void reversibleTransformerOfOldClassIsUsedForDowngrade() throws Exception {
        StatePlan plan = StatePlanner.plan(TalliesV2.class, V2, CountsV1.class, V1_5);
        assertFalse(plan.refusal().isPresent());
        assertTrue(plan.transformer().isPresent());
        assertTrue(plan.transformer().get(), plan.transformer().get().contains(CountsToTallies.class.getName()));
        assertTrue(plan.transformer().get(), plan.transformer().get().contains("downgrade"));

        TalliesV2 old = new TalliesV2();
        old.tallies.put("a", new Tally(4));
        CountsV1 fresh = new CountsV1();
        int before = CountsToTallies.downgrades;
        plan.transfer(old, fresh);
        assertEquals(before + 1, CountsToTallies.downgrades);
        assertEquals(Map.of("a", 4L), fresh.counts);
    }

    @Test
    public void nonReversibleTransformerIsNotUsedForDowngrade() {
        StatePlan plan = StatePlanner.plan(OneWayTalliesV2.class, V2, CountsV1.class, V1);
        assertFalse(plan.transformer().isPresent());
        assertTrue(plan.refusal().isPresent());
        assertTrue(plan.refusal().get(), plan.refusal().get().contains("'tallies'"));
    }

    @Test
    public void failingTransformerIsNamedAndNewInstanceIsUntouched() {
        StatePlan plan = StatePlanner.plan(CountsV1.class, V1, ExplodingV2.class, V2);
        assertFalse(plan.refusal().isPresent());
        ExplodingV2 fresh = new ExplodingV2();
        StateTransferException e = transferFails(plan, new CountsV1(), fresh);
        assertTrue(e.getMessage(), e.getMessage().contains(Exploding.class.getName()));
        assertTrue(e.getCause() instanceof IllegalStateException);
        assertSame(fresh.initial, fresh.tallies);
        assertTrue(fresh.tallies.isEmpty());
    }

    @Test
    public void twoTransformersCoveringTheOldVersionAreRefusedAsAmbiguous() {
        StatePlan plan = StatePlanner.plan(CountsV1.class, V1, AmbiguousV2.class, V2);
        assertTrue(plan.refusal().isPresent());
        assertTrue(plan.refusal().get(), plan.refusal().get().contains(OneWay.class.getName()));
        assertTrue(plan.refusal().get(), plan.refusal().get().contains(CountsToTallies.class.getName()));
    }

    // ---- explicit contract ----

    @Test
    public void stateHolderOnBothSidesImportsTheExportedState() throws Exception {
        StatePlan plan = StatePlanner.plan(CacheV1.class, V1, CacheV2.class, V2);
        assertFalse(plan.refusal().isPresent());
        assertEquals(1, plan.entries().size());
        assertEquals(Action.CONVERTED, plan.entries().get(0).action());

        CacheV1 old = new CacheV1();
        CacheV2 fresh = new CacheV2();
        plan.transfer(old, fresh);
        assertSame("get(name) hands over the very object", old.entries, fresh.rawEntries);
        assertEquals(Map.of("k", "v"), fresh.entries);
        assertEquals(5L, fresh.hits);
        assertEquals("1.0.0", fresh.previousVersion);
        assertEquals(Set.of("entries", "hits"), fresh.previousNames);
    }

    @Test
    public void importStateRefusalFailsTheTransfer() {
        StatePlan plan = StatePlanner.plan(CacheV1.class, V1, RefusingCache.class, V2);
        StateTransferException e = transferFails(plan, new CacheV1(), new RefusingCache());
        assertTrue(e.getMessage(), e.getMessage().contains("importState"));
        assertTrue(e.getMessage(), e.getMessage().contains("not my format"));
    }

    @Test
    public void exportedStateIsMappedIntoFieldsByName() throws Exception {
        StatePlan plan = StatePlanner.plan(CacheV1.class, V1, FieldsCacheV2.class, V2);
        assertFalse(plan.refusal().isPresent());
        CacheV1 old = new CacheV1();
        FieldsCacheV2 fresh = new FieldsCacheV2();
        plan.transfer(old, fresh);
        assertSame(old.entries, fresh.entries);
        assertEquals(5L, fresh.hits);
    }

    @Test
    public void exportedEntryWithoutCounterpartFailsNamingIt() {
        StatePlan plan = StatePlanner.plan(CacheV1.class, V1, EntriesOnlyV2.class, V2);
        EntriesOnlyV2 fresh = new EntriesOnlyV2();
        Map<String, String> initial = fresh.entries;
        StateTransferException e = transferFails(plan, new CacheV1(), fresh);
        assertTrue(e.getMessage(), e.getMessage().contains("'hits'"));
        assertSame(initial, fresh.entries);
    }

    @Test
    public void fieldsAreImportedByAStateHolder() throws Exception {
        StatePlan plan = StatePlanner.plan(FieldsCacheV2.class, V1, CacheV2.class, V2);
        FieldsCacheV2 old = new FieldsCacheV2();
        old.entries.put("x", "y");
        old.hits = 11;
        CacheV2 fresh = new CacheV2();
        plan.transfer(old, fresh);
        assertSame(old.entries, fresh.rawEntries);
        assertEquals(Map.of("x", "y"), fresh.entries);
        assertEquals(11L, fresh.hits);
    }

    // ---- declarations that cannot be planned ----

    @Test
    public void staticStateFieldIsRefusedNamingIt() {
        StatePlan plan = StatePlanner.plan(StaticState.class, V1, CountsV2.class, V2);
        assertTrue(plan.refusal().isPresent());
        assertTrue(plan.refusal().get(), plan.refusal().get().contains("shared"));
    }

    @Test
    public void duplicateStateNameIsRefusedNamingIt() {
        StatePlan plan = StatePlanner.plan(CountsV1.class, V1, DuplicateName.class, V2);
        assertTrue(plan.refusal().isPresent());
        assertTrue(plan.refusal().get(), plan.refusal().get().contains("'x'"));
    }
}
