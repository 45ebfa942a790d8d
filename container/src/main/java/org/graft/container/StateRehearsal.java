package org.graft.container;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What the rehearsal of a state transfer found: per state entry whether it would be carried, refused
 * or could not be rehearsed, the problems that would fail the real transfer, and how long the
 * conversion or transformer took, the estimate of the real transfer's duration.
 *
 * @since 1.5
 */
public final class StateRehearsal {
    /** What the rehearsal found for one entry. */
    public enum Outcome {
        /** Converted, transformed, copied or handed over on the snapshot without loss. */
        CARRIED,
        /** The real transfer would fail on this entry: the detail says why. */
        REFUSED,
        /** A transformer declared this entry of the new version fresh: it keeps the value the new instance starts with. */
        RESET,
        /** Not rehearsed (a value not safe to read while calls run, or a part only the real transfer can run): the detail says why. */
        NOT_REHEARSED
    }

    /**
     * One entry of the old version's state (or, under a transformer, of the new version's).
     *
     * @param detail what was carried ("3 map entries converted"), why it was refused, or why it was not rehearsed
     */
    public record Entry(String name, Outcome outcome, String detail) {
    }

    private final List<Entry> entries;
    private final List<String> problems;
    private final long convertNanos;
    private final long snapshotNanos;

    public StateRehearsal(List<Entry> entries, List<String> problems, long convertNanos, long snapshotNanos) {
        this.entries = List.copyOf(entries);
        this.problems = List.copyOf(problems);
        this.convertNanos = convertNanos;
        this.snapshotNanos = snapshotNanos;
    }

    public List<Entry> entries() {
        return entries;
    }

    /** Why the real transfer would fail, in the words it would fail with; empty if the rehearsal found nothing. */
    public List<String> problems() {
        return problems;
    }

    /** Whether every entry was rehearsed (none {@link Outcome#NOT_REHEARSED}). */
    public boolean complete() {
        return entries.stream().noneMatch(entry -> entry.outcome() == Outcome.NOT_REHEARSED);
    }

    /** Time spent converting or transforming the snapshot: the estimate of the real conversion's. */
    public long convertNanos() {
        return convertNanos;
    }

    /** Time spent taking the snapshot (the real transfer reads the state itself and needs no copy). */
    public long snapshotNanos() {
        return snapshotNanos;
    }

    @Override
    public String toString() {
        return "rehearsal of " + entries.size() + " entries in " + TimeUnit.NANOSECONDS.toMicros(convertNanos) + " µs"
                + (problems.isEmpty() ? "" : ", problems " + problems);
    }
}
