package org.graft.cluster.internal.rollout;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The rollouts and group versions in the {@link SharedRecords}, one key per group
 * ({@code rollout/<group>}: the group's last rollout, which is also the group's lock while it is not
 * final, and whose {@link Rollout#outcome()} is the version of its bundle) and one per group and
 * bundle ({@code version/<group>/<bundle>}: the outcome of the last rollout of a bundle, written by
 * the next rollout of the group when it replaces that rollout's record).
 *
 * <p>Every change is a compare-and-set of the whole record, retried on a lost race after reading again,
 * so changes by several nodes (the coordinator, the node whose turn it is, an operator's takeover) are
 * applied one at a time, each to the record the writer decided on. Waiting for a change is a wait on a
 * monitor that every record write and every membership change wakes ({@link #changed()}), bounded by a
 * deadline.
 */
final class RolloutStore {
    private static final String ROLLOUT = "rollout/";
    private static final String VERSION = "version/";

    private final SharedRecords records;
    private final RolloutCodec codec = new RolloutCodec();
    private final Object monitor = new Object();
    /** Incremented by every change seen, so that a waiter can tell whether one came since it last looked. */
    private long changes;

    RolloutStore(SharedRecords records) {
        this.records = records;
    }

    /** For the store's and the membership's listeners: something may have changed. */
    void changed() {
        synchronized (monitor) {
            changes++;
            monitor.notifyAll();
        }
    }

    /** The group a key of this store belongs to, or null for another key. */
    static String groupOfAnyKey(String key) {
        if (key.startsWith(ROLLOUT)) {
            return key.substring(ROLLOUT.length());
        }
        if (key.startsWith(VERSION) && key.lastIndexOf('/') > VERSION.length()) {
            return key.substring(VERSION.length(), key.lastIndexOf('/'));
        }
        return null;
    }

    Optional<Rollout> current(String group) {
        String text = records.get(ROLLOUT + group);
        return text == null ? Optional.empty() : Optional.of(codec.read(text, Rollout.class, ROLLOUT + group));
    }

    /**
     * Records {@code rollout} as its group's, unless the group's recorded rollout is not final.
     *
     * @return empty if recorded; else the rollout that still runs
     */
    Optional<Rollout> begin(Rollout rollout) {
        String key = ROLLOUT + rollout.group();
        String text = codec.write(rollout);
        for (;;) {
            String before = records.get(key);
            if (before == null) {
                if (records.putIfAbsent(key, text)) {
                    return Optional.empty();
                }
                continue;
            }
            Rollout recorded = codec.read(before, Rollout.class, key);
            if (!recorded.state().isFinal()) {
                return Optional.of(recorded);
            }
            // the replaced rollout's outcome stays the version of its bundle
            recorded.outcome().ifPresent(this::recordVersion);
            if (records.replace(key, before, text)) {
                return Optional.empty();
            }
        }
    }

    /**
     * Applies {@code change} to the group's rollout while it is the one named {@code id}, retrying on a
     * lost race with the record read again.
     *
     * @return the record written, or empty if the group records another rollout or {@code change}
     *         found nothing to do (it returned empty) on the record as it is now
     */
    Optional<Rollout> change(String group, String id, Function<Rollout, Optional<Rollout>> change) {
        String key = ROLLOUT + group;
        for (;;) {
            String before = records.get(key);
            if (before == null) {
                return Optional.empty();
            }
            Rollout recorded = codec.read(before, Rollout.class, key);
            if (!recorded.id().equals(id)) {
                return Optional.empty();
            }
            Optional<Rollout> next = change.apply(recorded);
            if (next.isEmpty()) {
                return Optional.empty();
            }
            if (records.replace(key, before, codec.write(next.get()))) {
                return next;
            }
        }
    }

    /**
     * Waits until the group's rollout satisfies {@code until}, or the deadline.
     *
     * @return the record as last read (which satisfies {@code until} unless the deadline passed), or
     *         empty if the group no longer records it
     */
    Optional<Rollout> await(String group, Predicate<Rollout> until, long deadlineNanos) throws InterruptedException {
        for (;;) {
            long seen;
            synchronized (monitor) {
                seen = changes;
            }
            Optional<Rollout> now = current(group);
            if (now.isEmpty() || until.test(now.get())) {
                return now;
            }
            synchronized (monitor) {
                // a change since the read above is looked at at once; otherwise wait for the next one
                while (changes == seen) {
                    long remaining = deadlineNanos - System.nanoTime();
                    if (remaining <= 0L) {
                        return now;
                    }
                    TimeUnit.NANOSECONDS.timedWait(monitor, remaining);
                }
            }
        }
    }

    /**
     * The versions the group runs, one per bundle: the outcome of the group's last rollout if it is
     * final, and for other bundles the outcome recorded when their last rollout's record was replaced.
     */
    List<GroupVersion> versions(String group) {
        Map<String, GroupVersion> versions = new TreeMap<>();
        for (String key : records.keys(VERSION + group + "/")) {
            String text = records.get(key);
            if (text != null) {
                GroupVersion version = codec.read(text, GroupVersion.class, key);
                versions.put(version.bundle(), version);
            }
        }
        current(group).flatMap(Rollout::outcome).ifPresent(last -> versions.put(last.bundle(), last));
        return new ArrayList<>(versions.values());
    }

    private void recordVersion(GroupVersion version) {
        String key = VERSION + version.group() + "/" + version.bundle();
        String text = codec.write(version);
        for (;;) {
            String before = records.get(key);
            if (before == null ? records.putIfAbsent(key, text) : records.replace(key, before, text)) {
                return;
            }
        }
    }
}
