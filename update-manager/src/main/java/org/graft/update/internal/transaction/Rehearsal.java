package org.graft.update.internal.transaction;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.graft.container.StateRehearsal;
import org.graft.container.StateTransfer;
import org.graft.update.dto.UpdateOptionsDTO;
import org.graft.update.internal.planning.PlannedService;
import org.graft.update.text.ReportFormat;

/**
 * The state transfers of an update, prepared, and rehearsed on a snapshot of the running state while
 * calls still flow: a transformer that throws, hangs (bounded by the transfer timeout) or writes a value
 * that does not fit, and a value the conversion refuses, fail the update before any call is held; the
 * rehearsal's conversion time estimates the real one, and an update estimated to hold calls past its
 * hold limit is refused. The real transfer then runs with the very codec the rehearsal warmed.
 *
 * <p>A first pass that took under {@value #SECOND_PASS_BELOW_MILLIS} ms is run again: the first pays
 * for building Jackson's (de)serializers and loading code, which the real transfer will not, so the
 * second is the truer estimate and warms the code further; a longer first pass is dominated by the
 * state itself, and is the estimate. A service that only hands objects over runs no code worth
 * rehearsing and is not rehearsed.
 */
final class Rehearsal {
    static final long SECOND_PASS_BELOW_MILLIS = 50L;

    private final Map<PlannedService, StateTransfer> transfers;
    private final Map<PlannedService, StateRehearsal> results;
    private final long estimateNanos;
    private final int passes;

    private Rehearsal(Map<PlannedService, StateTransfer> transfers, Map<PlannedService, StateRehearsal> results, long estimateNanos,
            int passes) {
        this.transfers = transfers;
        this.results = results;
        this.estimateNanos = estimateNanos;
        this.passes = passes;
    }

    /** The transfers, prepared, not rehearsed: what an update asked not to rehearse runs. */
    static Rehearsal none(Collection<PlannedService> services) {
        Map<PlannedService, StateTransfer> transfers = new LinkedHashMap<>();
        for (PlannedService service : services) {
            transfers.put(service, service.state().prepare());
        }
        return new Rehearsal(transfers, Map.of(), 0L, 0);
    }

    /**
     * Prepares and rehearses the transfers of {@code services}, on the transfer thread, within the
     * transfer timeout. Problems are not thrown: {@link #check} decides what they mean.
     */
    static Rehearsal run(StateTransfers thread, Collection<PlannedService> services, long timeoutMillis)
            throws StepFailure, InterruptedException {
        Map<PlannedService, StateTransfer> transfers = new LinkedHashMap<>();
        List<PlannedService> rehearsed = new ArrayList<>();
        for (PlannedService service : services) {
            transfers.put(service, service.state().prepare());
            if (!service.handsOverReferencesOnly() && service.state().refusal().isEmpty()) {
                rehearsed.add(service);
            }
        }
        if (rehearsed.isEmpty()) {
            return new Rehearsal(transfers, Map.of(), 0L, 0);
        }
        Map<PlannedService, StateRehearsal> results = new LinkedHashMap<>();
        int passes = 0;
        long estimate;
        do {
            passes++;
            results.clear();
            results.putAll(thread.call(() -> rehearseAll(transfers, rehearsed), timeoutMillis, "the rehearsal of the state transfer",
                    "; calls were never held"));
            estimate = results.values().stream().mapToLong(StateRehearsal::convertNanos).sum();
        } while (passes == 1 && estimate < TimeUnit.MILLISECONDS.toNanos(SECOND_PASS_BELOW_MILLIS) && problems(results).isEmpty());
        return new Rehearsal(transfers, results, estimate, passes);
    }

    private static Map<PlannedService, StateRehearsal> rehearseAll(Map<PlannedService, StateTransfer> transfers,
            List<PlannedService> services) {
        Map<PlannedService, StateRehearsal> results = new LinkedHashMap<>();
        for (PlannedService service : services) {
            results.put(service, transfers.get(service).rehearse(service.running().implementation()));
        }
        return results;
    }

    /** What the real transfer would fail with, each prefixed with its service's identity. */
    List<String> problems() {
        return problems(results);
    }

    private static List<String> problems(Map<PlannedService, StateRehearsal> results) {
        List<String> problems = new ArrayList<>();
        results.forEach((service, result) -> result.problems().forEach(problem -> problems.add(service.identity() + ": " + problem)));
        return problems;
    }

    /**
     * Fails the update on what the rehearsal found, before calls are held: a problem the real transfer
     * would fail with, or an estimate past the hold limit.
     */
    void check(UpdateOptionsDTO options) throws StepFailure {
        List<String> problems = problems();
        if (!problems.isEmpty()) {
            throw StepFailure.failed("the rehearsal of the state transfer, on a snapshot of the running state, failed: "
                    + String.join("; ", problems) + "; calls were never held", null);
        }
        Optional<String> over = overLimit(options);
        if (over.isPresent()) {
            throw StepFailure.failed(over.get() + "; calls were never held", null);
        }
    }

    /** Why the estimate exceeds the update's hold limit, if it does. */
    Optional<String> overLimit(UpdateOptionsDTO options) {
        if (options.holdLimitMillis > 0L && estimateNanos > TimeUnit.MILLISECONDS.toNanos(options.holdLimitMillis)) {
            return Optional.of("the state transfer is estimated to hold calls " + ReportFormat.duration(estimateMicros())
                    + " (its rehearsal's conversion time), more than the hold limit of " + options.holdLimitMillis + " ms (--hold-limit)");
        }
        return Optional.empty();
    }

    /** What the step line says: the estimate, and the entries the rehearsal could not read. */
    String detail() {
        if (results.isEmpty()) {
            return "nothing to rehearse: the state is handed over by reference";
        }
        List<String> left = new ArrayList<>();
        results.forEach((service, result) -> result.entries().stream()
                .filter(entry -> entry.outcome() == StateRehearsal.Outcome.NOT_REHEARSED)
                .forEach(entry -> left.add(service.identity() + "." + entry.name() + " (" + entry.detail() + ")")));
        return "estimated transfer " + ReportFormat.duration(estimateMicros()) + (passes > 1 ? " (second pass)" : "")
                + (left.isEmpty() ? "" : "; not rehearsed: " + String.join(", ", left));
    }

    Map<PlannedService, StateTransfer> transfers() {
        return transfers;
    }

    Map<PlannedService, StateRehearsal> results() {
        return results;
    }

    long estimateMicros() {
        return TimeUnit.NANOSECONDS.toMicros(estimateNanos);
    }
}
