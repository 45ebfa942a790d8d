package org.graft.update.internal.transaction;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.graft.container.StateTransfer;
import org.graft.container.StateTransferResult;
import org.graft.container.Switchover;
import org.graft.transformer.Suspendable;
import org.graft.update.UpdateStep;
import org.graft.update.dto.UpdateOptionsDTO;
import org.graft.update.internal.planning.PlannedService;

/**
 * The part of an update during which calls are held: hold, drain, suspend, transfer, resume, swap
 * (under the coexist strategy: hold and swap only, so that no caller sees a mix of versions). Each step
 * that changes something pushes its undo, so an abort releases the held calls to the running versions.
 */
final class Handover {
    private final StepRecorder steps;
    private final Undo undo;
    private final StateTransfers transfers;
    private final UpdateOptionsDTO options;
    private final Activation.Activated activated;
    private final Switchover switchover;
    /** Each service's transfer, prepared (and, unless the update asked otherwise, rehearsed) before the hold. */
    private final Map<PlannedService, StateTransfer> prepared;
    private long heldAt;
    private long drainNanos;
    private long unlinkNanos;
    private long transferNanos;
    private List<StateTransferResult> transferred = List.of();

    Handover(StepRecorder steps, Undo undo, StateTransfers transfers, UpdateOptionsDTO options, Activation.Activated activated,
            Map<PlannedService, StateTransfer> prepared) {
        this.steps = steps;
        this.undo = undo;
        this.transfers = transfers;
        this.options = options;
        this.activated = activated;
        this.switchover = activated.switchover();
        this.prepared = prepared;
    }

    void run() throws StepFailure {
        boolean coexist = UpdateOptionsDTO.COEXIST.equals(options.strategy);
        // From here until the release, nothing is journaled and no listener is called: not even at the
        // end of the hold step, when calls are already held.
        steps.holding(true);
        steps.run(UpdateStep.HOLD, () -> {
            // Proxies linked directly are moved onto the counted path first, with calls flowing, so the
            // stack scan that proves it is not held time.
            // Under coexist, old calls are not waited for before the swap: they finish on the old version,
            // and the retire step waits for them, uncounted ones included.
            undo.push("releasing the held calls", switchover::abort);
            long unlinkStart = System.nanoTime();
            boolean unlinked = coexist || switchover.unlink(options.quiescenceTimeoutMillis, TimeUnit.MILLISECONDS);
            unlinkNanos = System.nanoTime() - unlinkStart;
            if (!unlinked) {
                throw StepFailure.failed("quiescence timeout: after " + options.quiescenceTimeoutMillis
                        + " ms calls were still running on the old version, uncounted, on " + switchover.uncountedCalls()
                        + "; calls were never held", null);
            }
            heldAt = System.nanoTime();
            switchover.hold();
            return null;
        });
        if (!coexist) {
            steps.run(UpdateStep.DRAIN, this::drain);
            steps.run(UpdateStep.SUSPEND, this::suspendRunning);
            steps.run(UpdateStep.TRANSFER, this::transferState);
            steps.run(UpdateStep.RESUME, this::resumeNext);
        }
        steps.run(UpdateStep.SWAP, () -> {
            switchover.commit();
            return null;
        });
        steps.holding(false);
    }

    private Void drain() throws StepFailure, InterruptedException {
        long start = System.nanoTime();
        long bound = boundedByHoldLimit(options.quiescenceTimeoutMillis);
        boolean drained = switchover.awaitQuiescence(bound, TimeUnit.MILLISECONDS);
        drainNanos = System.nanoTime() - start;
        if (!drained) {
            if (bound < options.quiescenceTimeoutMillis) {
                throw holdLimitReached("drain", "calls were still running on the old version " + switchover.callsInFlight());
            }
            throw StepFailure.failed("quiescence timeout: after " + options.quiescenceTimeoutMillis
                    + " ms calls were still running on the old version " + switchover.callsInFlight(), null);
        }
        return null;
    }

    /**
     * {@code timeoutMillis}, or less if the hold limit ({@code --hold-limit}) leaves less: calls are never
     * held longer than callers can bear, whatever the timeouts of the steps.
     *
     * @throws StepFailure if the hold limit has already passed
     */
    private long boundedByHoldLimit(long timeoutMillis) throws StepFailure {
        if (options.holdLimitMillis <= 0L) {
            return timeoutMillis;
        }
        long left = options.holdLimitMillis - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - heldAt);
        if (left <= 0L) {
            throw holdLimitReached("the steps before", "");
        }
        return Math.min(timeoutMillis, left);
    }

    private StepFailure holdLimitReached(String where, String detail) {
        return StepFailure.failed("hold limit: calls had been held for " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - heldAt)
                + " ms, the most this update allows (--hold-limit " + options.holdLimitMillis + " ms), in " + where
                + (detail.isEmpty() ? "" : ": " + detail) + "; the update was aborted and the held calls released to the old version",
                null);
    }

    private Void suspendRunning() throws Exception {
        for (PlannedService service : activated.nextInstances().keySet()) {
            if (service.running().implementation() instanceof Suspendable running) {
                running.suspend();
                undo.push("resuming " + running.getClass().getName(), running::resume);
            }
        }
        return null;
    }

    private Void transferState() throws Exception {
        long start = System.nanoTime();
        boolean inline = activated.nextInstances().keySet().stream().allMatch(PlannedService::handsOverReferencesOnly);
        long bound = boundedByHoldLimit(options.transferTimeoutMillis);
        try {
            transferred = transfers.run(this::transferAll, inline, bound);
        } catch (StepFailure timedOut) {
            if (bound < options.transferTimeoutMillis && System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(bound)) {
                throw holdLimitReached("transfer", "the state transfer did not finish within the " + bound + " ms left");
            }
            throw timedOut;
        } finally {
            transferNanos = System.nanoTime() - start;
        }
        // The same map, unchanged since transferAll iterated it: its order pairs each result with its service.
        List<PlannedService> services = new ArrayList<>(activated.nextInstances().keySet());
        for (int i = 0; i < transferred.size(); i++) {
            List<String> unwritten = transferred.get(i).unwrittenEntries();
            if (!unwritten.isEmpty()) {
                steps.detail("the transformer of " + services.get(i).identity() + " did not write " + unwritten
                        + ": the default mapping carried them");
            }
        }
        return null;
    }

    private List<StateTransferResult> transferAll() throws Exception {
        List<StateTransferResult> results = new ArrayList<>();
        for (Map.Entry<PlannedService, Object> service : activated.nextInstances().entrySet()) {
            results.add(prepared.get(service.getKey()).transfer(service.getKey().running().implementation(), service.getValue()));
        }
        return results;
    }

    private Void resumeNext() throws Exception {
        for (Object next : activated.nextInstances().values()) {
            if (next instanceof Suspendable suspendable) {
                suspendable.resume();
            }
        }
        return null;
    }

    /** From the hold to the release (by the swap, or by an abort); 0 if calls were never held. */
    long heldMicros() {
        long released = switchover.releasedAtNanos();
        return heldAt == 0L || released == 0L ? 0L : TimeUnit.NANOSECONDS.toMicros(released - heldAt);
    }

    /** How long moving the calls onto the counted path took, before the hold. */
    long unlinkMicros() {
        return TimeUnit.NANOSECONDS.toMicros(unlinkNanos);
    }

    long drainMicros() {
        return TimeUnit.NANOSECONDS.toMicros(drainNanos);
    }

    long transferMicros() {
        return TimeUnit.NANOSECONDS.toMicros(transferNanos);
    }

    /** What each service's transfer did; empty until the transfer step succeeded. */
    List<StateTransferResult> transferred() {
        return transferred;
    }
}
