package org.graft.cluster.internal.rollout;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One node's Graft, as the rollout sees it: a bundle at a version, updates and rollbacks that succeed,
 * fail or wait for the test as scripted, and every call recorded in the order the cluster made them.
 */
final class ScriptedNode implements LocalUpdates {
    enum Behaviour { SUCCEED, FAIL, WAIT_FOR_RELEASE }

    final String node;
    private final List<String> journal;
    private volatile String version;
    private volatile String before;
    volatile Behaviour onUpdate = Behaviour.SUCCEED;
    volatile boolean healthy = true;
    final CountDownLatch updateStarted = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    final CountDownLatch rolledBack = new CountDownLatch(1);

    ScriptedNode(String node, String version, List<String> journal) {
        this.node = node;
        this.version = version;
        this.journal = journal;
    }

    String version() {
        return version;
    }

    @Override
    public Optional<String> servingVersion(String bundle) {
        return Optional.of(version);
    }

    @Override
    public Optional<String> servingLocation(String bundle) {
        return Optional.of("file:/jars/" + bundle + "-" + version + ".jar");
    }

    @Override
    public Optional<String> rollbackVersion(String bundle) {
        return Optional.ofNullable(before);
    }

    @Override
    public synchronized Outcome update(String bundle, String url, String expectedVersion) {
        journal.add(node + " update " + url);
        updateStarted.countDown();
        if (expectedVersion != null && !expectedVersion.equals(version)) {
            return new Outcome(false, version, version, "refused: " + version + " serves, not " + expectedVersion, 0L);
        }
        if (onUpdate == Behaviour.FAIL) {
            return new Outcome(false, version, version, "the new version's transformer threw: scripted", 0L);
        }
        if (onUpdate == Behaviour.WAIT_FOR_RELEASE) {
            await(release);
        }
        String to = url.replaceAll(".*-([0-9.]+)\\.jar$", "$1");
        before = version;
        version = to;
        journal.add(node + " updated");
        return new Outcome(true, before, to, "updated", 3L);
    }

    @Override
    public synchronized Outcome rollback(String bundle, String expectedVersion) {
        journal.add(node + " rollback");
        if (before == null || (expectedVersion != null && !expectedVersion.equals(version))) {
            return new Outcome(false, version, version, "nothing to roll back to", 0L);
        }
        String from = version;
        version = before;
        before = null;
        rolledBack.countDown();
        return new Outcome(true, from, version, "rolled back", 2L);
    }

    @Override
    public Optional<String> unhealthy(String bundle, String servingVersion) {
        return healthy ? Optional.empty() : Optional.of("scripted: no service of " + bundle + " serves");
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never released the update");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
