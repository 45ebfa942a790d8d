package org.graft.cluster.internal.rollout;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * The rollout's protocol across three nodes in one JVM: each node with its own agent, the records and
 * the membership shared as the cluster shares them, and each node's Graft scripted. What a real group
 * of Karafs adds (Cellar, Hazelcast, Graft's real updates under load) is proven by the three-node
 * harness.
 */
public class RolloutTest {
    private static final String BUNDLE = "org.example.counter";
    private static final String V2 = "file:/jars/org.example.counter-2.0.0.jar";
    private static final RolloutTimeouts QUICK = new RolloutTimeouts(2_000L, 10_000L, 0L);

    private final InMemoryCluster cluster = new InMemoryCluster();
    private final List<String> journal = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, ScriptedNode> graft = new LinkedHashMap<>();
    private final Map<String, RolloutNode> nodes = new LinkedHashMap<>();

    @Before
    public void threeNodesOnTheOldVersion() {
        for (String node : List.of("n1", "n2", "n3")) {
            graft.put(node, new ScriptedNode(node, "1.0.0", journal));
        }
    }

    @After
    public void stopNodes() throws Exception {
        for (RolloutNode node : nodes.values()) {
            node.close();
        }
        cluster.close();
    }

    private RolloutNode start(String node) {
        cluster.join(node);
        RolloutNode started = new RolloutNode(cluster, cluster.membersSeenBy(node), graft.get(node));
        nodes.put(node, started);
        return started;
    }

    private void startAll() {
        graft.keySet().forEach(this::start);
    }

    /** Until no node has anything left to do: every change told, every look that followed ended. */
    private void settle() throws Exception {
        long before;
        do {
            before = cluster.writes();
            cluster.awaitEventsDelivered();
            for (RolloutNode node : nodes.values()) {
                node.awaitIdle();
            }
        } while (cluster.writes() != before);
    }

    private Rollout rollOut(String from, List<String> order, RolloutTimeouts timeouts) throws Exception {
        return nodes.get(from).rollOut(new RolloutRequest(cluster.group, BUNDLE, V2, order, timeouts));
    }

    /** The version the group runs, as every node's agent reads it. */
    private String groupVersion() {
        return new RolloutStore(cluster).versions(cluster.group).stream().filter(v -> v.bundle().equals(BUNDLE))
                .findFirst().orElseThrow().version();
    }

    /** A rollout on a thread of its own, for a test that acts while it runs. */
    private CompletableFuture<Rollout> rollOutAsync(String from, List<String> order, RolloutTimeouts timeouts) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return rollOut(from, order, timeouts);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private Map<String, String> versions() {
        Map<String, String> versions = new LinkedHashMap<>();
        graft.forEach((node, g) -> versions.put(node, g.version()));
        return versions;
    }

    private static Map<String, String> all(String version) {
        return Map.of("n1", version, "n2", version, "n3", version);
    }

    private static Map<String, Phase> phases(Rollout rollout) {
        Map<String, Phase> phases = new LinkedHashMap<>();
        rollout.steps().forEach(step -> phases.put(step.node(), step.phase()));
        return phases;
    }

    @Test
    public void everyNodeIsUpdatedOneAtATimeInTheStatedOrder() throws Exception {
        startAll();
        Rollout done = rollOut("n1", List.of("n2", "n1", "n3"), QUICK);

        assertEquals(done.message(), RolloutState.SUCCEEDED, done.state());
        assertEquals("each node starts only after the one before answered",
                List.of("n2 update " + V2, "n2 updated", "n1 update " + V2, "n1 updated", "n3 update " + V2, "n3 updated"), journal);
        assertEquals(all("2.0.0"), versions());
        assertEquals(Map.of("n2", Phase.UPDATED, "n1", Phase.UPDATED, "n3", Phase.UPDATED), phases(done));
        assertEquals("2.0.0", groupVersion());
        assertEquals("any node shows the rollout", done, nodes.get("n3").status(cluster.group).orElseThrow());
    }

    @Test
    public void aFailingNodeHaltsTheRolloutAndTheNodesUpdatedBeforeItRollBack() throws Exception {
        startAll();
        graft.get("n2").onUpdate = ScriptedNode.Behaviour.FAIL;
        Rollout done = rollOut("n1", List.of(), QUICK);

        assertEquals(done.message(), RolloutState.ROLLED_BACK, done.state());
        assertEquals(List.of("n1 update " + V2, "n1 updated", "n2 update " + V2, "n1 rollback"), journal);
        assertEquals("the group ends on one version", all("1.0.0"), versions());
        assertEquals(Map.of("n1", Phase.ROLLED_BACK, "n2", Phase.FAILED, "n3", Phase.SKIPPED), phases(done));
        assertTrue(done.message(), done.message().contains("n2: FAILED: the new version's transformer threw: scripted"));
        assertEquals("1.0.0", groupVersion());
    }

    /**
     * A node that read its assignment in time but whose claim arrives after the coordinator gave up on
     * it must not apply the stale assignment: the claim and the give-up are compare-and-sets of the
     * same record, and only one can win.
     */
    @Test
    public void aClaimThatArrivesAfterTheCoordinatorGaveUpIsRefusedAndTheNodeNeverApplies() throws Exception {
        startAll();
        java.util.concurrent.CountDownLatch claimHeld = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch releaseClaim = new java.util.concurrent.CountDownLatch(1);
        cluster.holdNextWrite(value -> value.contains("{\"node\":\"n3\",\"phase\":\"APPLYING\""), claimHeld, releaseClaim);
        Rollout done = rollOut("n1", List.of(), new RolloutTimeouts(300L, 10_000L, 0L));

        assertTrue("n3 had decided to claim", claimHeld.await(0, TimeUnit.SECONDS));
        assertEquals(done.message(), RolloutState.ROLLED_BACK, done.state());
        assertEquals(Map.of("n1", Phase.ROLLED_BACK, "n2", Phase.ROLLED_BACK, "n3", Phase.SILENT), phases(done));
        assertTrue(done.message(), done.message().contains("n3 did not claim its update within 300 ms"));

        releaseClaim.countDown();
        settle();
        assertEquals(List.of("n1 update " + V2, "n1 updated", "n2 update " + V2, "n2 updated", "n2 rollback", "n1 rollback"),
                journal);
        assertEquals(all("1.0.0"), versions());
        assertEquals(Phase.SILENT, nodes.get("n2").status(cluster.group).orElseThrow().phaseOf("n3"));
    }

    /** A member whose agent does not run at all is silent too, and on starting later applies nothing. */
    @Test
    public void aNodeWhoseAgentDoesNotRunIsSilentAndAppliesNothingWhenItStarts() throws Exception {
        start("n1");
        start("n2");
        cluster.join("n3");
        Rollout done = rollOut("n1", List.of(), new RolloutTimeouts(300L, 10_000L, 0L));

        assertEquals(done.message(), RolloutState.ROLLED_BACK, done.state());
        assertEquals(Phase.SILENT, done.phaseOf("n3"));
        nodes.put("n3", new RolloutNode(cluster, cluster.membersSeenBy("n3"), graft.get("n3")));
        settle();
        assertTrue(journal.toString(), journal.stream().noneMatch(line -> line.startsWith("n3")));
        assertEquals(all("1.0.0"), versions());
    }

    @Test
    public void aNodeThatFinishesAfterTheUpdateTimeoutRollsItselfBack() throws Exception {
        startAll();
        ScriptedNode slow = graft.get("n2");
        slow.onUpdate = ScriptedNode.Behaviour.WAIT_FOR_RELEASE;
        Rollout done = rollOut("n1", List.of(), new RolloutTimeouts(2_000L, 300L, 0L));

        assertEquals(done.message(), RolloutState.ROLLBACK_INCOMPLETE, done.state());
        assertEquals(Map.of("n1", Phase.ROLLED_BACK, "n2", Phase.OVERDUE, "n3", Phase.SKIPPED), phases(done));
        assertTrue(done.message(), done.message().contains("n2 was still updating when the coordinator stopped waiting"));

        slow.release.countDown();
        assertTrue("n2 rolled itself back", slow.rolledBack.await(10, TimeUnit.SECONDS));
        settle();
        assertEquals(all("1.0.0"), versions());
        Rollout after = nodes.get("n3").status(cluster.group).orElseThrow();
        assertEquals(Phase.ROLLED_BACK, after.phaseOf("n2"));
        assertTrue(after.step("n2").orElseThrow().message(),
                after.step("n2").orElseThrow().message().contains("updated after the coordinator had stopped waiting, then rolled itself back"));
    }

    @Test
    public void oneRolloutRunsPerGroup() throws Exception {
        startAll();
        ScriptedNode slow = graft.get("n1");
        slow.onUpdate = ScriptedNode.Behaviour.WAIT_FOR_RELEASE;
        CompletableFuture<Rollout> first = rollOutAsync("n1", List.of(), QUICK);
        assertTrue(slow.updateStarted.await(10, TimeUnit.SECONDS));
        try {
            rollOut("n3", List.of(), QUICK);
            fail("a second rollout started while one ran");
        } catch (RolloutRefused expected) {
            assertTrue(expected.getMessage(), expected.getMessage().contains("a rollout already runs in the group default"));
            assertTrue(expected.getMessage(), expected.getMessage().contains("coordinated by n1"));
        }
        slow.release.countDown();
        assertEquals(RolloutState.SUCCEEDED, first.get(10, TimeUnit.SECONDS).state());
        assertEquals(all("2.0.0"), versions());
    }

    @Test
    public void aNodeThatLeavesDuringItsUpdateHaltsTheRolloutAndDoesNotKeepTheNewVersion() throws Exception {
        startAll();
        ScriptedNode leaving = graft.get("n2");
        leaving.onUpdate = ScriptedNode.Behaviour.WAIT_FOR_RELEASE;
        CompletableFuture<Rollout> rollout = rollOutAsync("n1", List.of(), QUICK);
        assertTrue(leaving.updateStarted.await(10, TimeUnit.SECONDS));
        cluster.leave("n2");
        Rollout done = rollout.get(10, TimeUnit.SECONDS);

        assertEquals(done.message(), RolloutState.ROLLED_BACK, done.state());
        assertEquals(Map.of("n1", Phase.ROLLED_BACK, "n2", Phase.LOST, "n3", Phase.SKIPPED), phases(done));
        assertTrue(done.message(), done.message().contains("n2 left the group"));

        // its update ends after all, on a node the rollout went on without: it returns to the old version
        leaving.release.countDown();
        assertTrue(leaving.rolledBack.await(10, TimeUnit.SECONDS));
        settle();
        assertEquals(all("1.0.0"), versions());
    }

    @Test
    public void aNodeThatJoinsAfterARolloutConvergesThroughGraftsUpdate() throws Exception {
        start("n1");
        start("n2");
        assertEquals(RolloutState.SUCCEEDED, rollOut("n2", List.of(), QUICK).state());
        journal.clear();

        start("n3");
        settle();
        assertEquals(List.of("n3 update " + V2, "n3 updated"), journal);
        assertEquals(all("2.0.0"), versions());
    }

    @Test
    public void aNodeThatRunsAnotherVersionThanTheGroupAfterARestartRollsBackToIt() throws Exception {
        startAll();
        graft.get("n3").onUpdate = ScriptedNode.Behaviour.FAIL;
        assertEquals(RolloutState.ROLLED_BACK, rollOut("n1", List.of(), QUICK).state());
        // n2 comes back from a restart on the new version (say its rollback had not been recorded yet)
        nodes.remove("n2").close();
        cluster.leave("n2");
        graft.get("n2").update(BUNDLE, V2, "1.0.0");
        journal.clear();

        start("n2");
        settle();
        assertEquals(List.of("n2 rollback"), journal);
        assertEquals(all("1.0.0"), versions());
    }

    @Test
    public void aNodeUnhealthyAfterTheProbeHaltsTheRollout() throws Exception {
        startAll();
        graft.get("n2").healthy = false;
        Rollout done = rollOut("n1", List.of(), new RolloutTimeouts(2_000L, 10_000L, 100L));

        assertEquals(done.message(), RolloutState.ROLLED_BACK, done.state());
        assertEquals(List.of("n1 update " + V2, "n1 updated", "n2 update " + V2, "n2 updated", "n2 rollback", "n1 rollback"),
                journal);
        assertEquals(Map.of("n1", Phase.ROLLED_BACK, "n2", Phase.ROLLED_BACK, "n3", Phase.SKIPPED), phases(done));
        assertTrue(done.message(), done.message().contains("n2: UNHEALTHY: scripted: no service of " + BUNDLE + " serves"));
        assertEquals(all("1.0.0"), versions());
    }

    @Test
    public void aSucceededRolloutRollsBackOnRequestLastUpdatedFirst() throws Exception {
        startAll();
        assertEquals(RolloutState.SUCCEEDED, rollOut("n1", List.of(), QUICK).state());
        journal.clear();

        Rollout back = nodes.get("n3").rollBack(cluster.group, id -> false);
        assertEquals(back.message(), RolloutState.ROLLED_BACK, back.state());
        assertEquals("n3", back.coordinator());
        assertEquals(List.of("n3 rollback", "n2 rollback", "n1 rollback"), journal);
        assertEquals(all("1.0.0"), versions());
        assertEquals("1.0.0", groupVersion());
        try {
            nodes.get("n1").rollBack(cluster.group, id -> false);
            fail("rolled back twice");
        } catch (RolloutRefused expected) {
            assertTrue(expected.getMessage(), expected.getMessage().contains("was already rolled back"));
        }
    }

    @Test
    public void aRunningRolloutWhoseCoordinatorIsInTheGroupIsNotTakenOver() throws Exception {
        startAll();
        ScriptedNode slow = graft.get("n2");
        slow.onUpdate = ScriptedNode.Behaviour.WAIT_FOR_RELEASE;
        CompletableFuture<Rollout> rollout = rollOutAsync("n1", List.of(), QUICK);
        assertTrue(slow.updateStarted.await(10, TimeUnit.SECONDS));
        try {
            nodes.get("n3").rollBack(cluster.group, id -> false);
            fail("took over a rollout whose coordinator runs");
        } catch (RolloutRefused expected) {
            assertTrue(expected.getMessage(), expected.getMessage().contains("coordinated by n1, which is in the group"));
        }
        slow.release.countDown();
        assertEquals(RolloutState.SUCCEEDED, rollout.get(10, TimeUnit.SECONDS).state());
    }

    /**
     * The coordinator leaves while a node updates: another node takes the rollout over and rolls it
     * back, the node updating then rolls itself back, and the old coordinator, still running, writes
     * nothing more.
     */
    @Test
    public void aRolloutWhoseCoordinatorLeftIsTakenOverAndRolledBack() throws Exception {
        startAll();
        ScriptedNode slow = graft.get("n3");
        slow.onUpdate = ScriptedNode.Behaviour.WAIT_FOR_RELEASE;
        CompletableFuture<Rollout> abandoned = rollOutAsync("n1", List.of("n2", "n3", "n1"), QUICK);
        assertTrue(slow.updateStarted.await(10, TimeUnit.SECONDS));
        // the old coordinator stops running until the takeover has ended, then runs on
        cluster.freezeViewOf("n1");
        cluster.leave("n1");

        Rollout taken = nodes.get("n2").rollBack(cluster.group, id -> false);
        assertEquals("n2", taken.coordinator());
        assertEquals(taken.message(), RolloutState.ROLLBACK_INCOMPLETE, taken.state());
        assertEquals(Map.of("n2", Phase.ROLLED_BACK, "n3", Phase.OVERDUE, "n1", Phase.SKIPPED), phases(taken));
        assertTrue(taken.message(), taken.message().contains("taken over by n2: its coordinator n1 left the group"));

        slow.release.countDown();
        assertTrue("n3 rolled itself back", slow.rolledBack.await(10, TimeUnit.SECONDS));
        settle();
        cluster.thaw("n1");
        Rollout seenByOld = abandoned.get(10, TimeUnit.SECONDS);
        assertEquals("the old coordinator gave up", "n2", seenByOld.coordinator());
        settle();
        Rollout end = nodes.get("n2").status(cluster.group).orElseThrow();
        assertEquals(RolloutState.ROLLBACK_INCOMPLETE, end.state());
        assertTrue("only the node that took over ended it: " + end.message(),
                end.message().startsWith("taken over by n2: its coordinator n1 left the group"));
        assertEquals(Phase.ROLLED_BACK, end.phaseOf("n3"));
        assertEquals(all("1.0.0"), versions());
    }

    @Test
    public void anOrderThatDoesNotNameEveryNodeOnceIsRefusedWithNothingChanged() throws Exception {
        startAll();
        for (List<String> order : List.of(List.of("n1", "n2"), List.of("n1", "n2", "n3", "n4"), List.of("n1", "n2", "n2", "n3"))) {
            try {
                rollOut("n1", order, QUICK);
                fail("order " + order + " was taken");
            } catch (RolloutRefused expected) {
                assertTrue(expected.getMessage(), expected.getMessage().startsWith("the order must name every node of the group default once"));
            }
        }
        assertTrue(nodes.get("n1").status(cluster.group).isEmpty());
        assertEquals(List.of(), journal);
    }
}
