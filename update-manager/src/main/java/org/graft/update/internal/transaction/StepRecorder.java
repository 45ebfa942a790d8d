package org.graft.update.internal.transaction;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.graft.container.internal.log.Logs;
import org.graft.update.UpdateProgress;
import org.graft.update.UpdateStep;
import org.graft.update.dto.StepDTO;
import org.graft.update.dto.UpdateReportDTO;
import org.graft.update.internal.journal.Journal;
import org.graft.update.internal.planning.Refusal;

/**
 * Runs the steps of one update, recording each (name, status, duration, detail) in the report and
 * telling the progress listener as it ends; writes the report to the journal when the transaction asks
 * ({@link #checkpoint}). While calls are held neither the listener nor the journal is called: a held call
 * must not wait for a disk or for a listener. What comes up meanwhile is done at the release.
 */
final class StepRecorder {
    private static final System.Logger LOG = Logs.get("org.graft.update.journal");

    /** The body of a step. */
    interface Body<T> {
        T run() throws Exception;
    }

    private final UpdateReportDTO report;
    private final Journal journal;
    private final UpdateProgress progress;
    /** Steps that ended while calls were held, reported once they are released. */
    private final List<StepDTO> unreported = new ArrayList<>();
    private boolean holding;
    /** When the hold began (System.nanoTime()), or NOT_HOLDING: read by {@link #snapshot()} on other threads. */
    private volatile long heldSinceNanos = NOT_HOLDING;
    private static final long NOT_HOLDING = Long.MIN_VALUE;
    /** When the running step began (System.nanoTime()): read by {@link #snapshot()}. */
    private volatile long stepStartNanos;
    private boolean checkpointDue;

    StepRecorder(UpdateReportDTO report, Journal journal, UpdateProgress progress) {
        this.report = report;
        this.journal = journal;
        this.progress = progress;
    }

    /** Defers (true) or resumes (false) progress reports and journal writes; resuming catches up at once. */
    void holding(boolean held) {
        holding = held;
        heldSinceNanos = held ? System.nanoTime() : NOT_HOLDING;
        if (!held) {
            if (checkpointDue) {
                checkpoint();
            }
            for (StepDTO step : unreported) {
                progress.stepEnded(report, step);
            }
            unreported.clear();
        }
    }

    <T> T run(UpdateStep name, Body<T> body) throws StepFailure {
        StepDTO step = new StepDTO();
        step.name = name.label();
        step.status = StepDTO.RUNNING;
        step.startedAt = System.currentTimeMillis();
        long start = System.nanoTime();
        stepStartNanos = start;
        report.steps.add(step);
        try {
            T result = body.run();
            step.status = StepDTO.OK;
            return result;
        } catch (StepFailure failure) {
            throw failedStep(step, failure.at(name));
        } catch (Refusal refusal) {
            throw failedStep(step, StepFailure.refused(refusal).at(name));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failedStep(step, StepFailure.failed("the update was interrupted during step " + name.label(), e).at(name));
        } catch (Exception e) {
            throw failedStep(step, StepFailure.failed(e.getMessage() == null ? e.toString() : e.getMessage(), e).at(name));
        } finally {
            step.durationMicros = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - start);
            if (holding) {
                unreported.add(step);
            } else {
                progress.stepEnded(report, step);
            }
        }
    }

    /**
     * The report as it stands, for a reader on another thread ({@code status()}): its own copy of the
     * steps and timings, the running step with its time so far and, while calls are held, the time they
     * have been held so far. The steps list is copy-on-write, so copying it never fails; a step that
     * ends meanwhile may show as running still.
     */
    UpdateReportDTO snapshot() {
        long now = System.nanoTime();
        long heldSince = heldSinceNanos;
        long stepStart = stepStartNanos;
        UpdateReportDTO copy = new UpdateReportDTO();
        copy.id = report.id;
        copy.kind = report.kind;
        copy.outcome = report.outcome;
        copy.failedStep = report.failedStep;
        copy.message = report.message;
        copy.startedAt = report.startedAt;
        copy.finishedAt = report.finishedAt;
        copy.options = report.options;
        copy.plan = report.plan;
        for (StepDTO step : report.steps) {
            StepDTO stepCopy = new StepDTO();
            stepCopy.name = step.name;
            stepCopy.status = step.status;
            stepCopy.startedAt = step.startedAt;
            stepCopy.detail = step.detail;
            stepCopy.durationMicros = StepDTO.RUNNING.equals(step.status)
                    ? TimeUnit.NANOSECONDS.toMicros(now - stepStart) : step.durationMicros;
            copy.steps.add(stepCopy);
        }
        copy.timings.heldMicros = report.timings.heldMicros;
        copy.timings.drainMicros = report.timings.drainMicros;
        copy.timings.unlinkMicros = report.timings.unlinkMicros;
        copy.timings.transferMicros = report.timings.transferMicros;
        copy.timings.captureMicros = report.timings.captureMicros;
        copy.timings.convertMicros = report.timings.convertMicros;
        copy.timings.injectMicros = report.timings.injectMicros;
        copy.timings.totalMicros = report.timings.totalMicros;
        if (heldSince != NOT_HOLDING) {
            copy.callsHeld = true;
            copy.timings.heldMicros = TimeUnit.NANOSECONDS.toMicros(now - heldSince);
        }
        return copy;
    }

    private static StepFailure failedStep(StepDTO step, StepFailure failure) {
        step.status = StepDTO.FAILED;
        step.detail = failure.getMessage();
        return failure;
    }

    /** Adds a detail to the last step. */
    void detail(String detail) {
        StepDTO last = report.steps.get(report.steps.size() - 1);
        last.detail = last.detail == null ? detail : last.detail + "; " + detail;
    }

    /**
     * Writes the report to the journal, now or, while calls are held, at their release. A record that
     * cannot be written is logged and said in the last step's detail: the update itself is not at
     * risk, only what a restart can recover (it acts on the record as last written).
     */
    void checkpoint() {
        if (holding) {
            checkpointDue = true;
            return;
        }
        checkpointDue = false;
        try {
            journal.write(report);
        } catch (UncheckedIOException e) {
            LOG.log(System.Logger.Level.ERROR, "Graft could not journal update " + report.id
                    + ": its history may be incomplete after a restart", e);
            if (!report.steps.isEmpty()) {
                detail("the journal could not record this (" + e.getCause() + "): a restart would find the update as its"
                        + " record last stood; free or repair " + journal.directory());
            }
        }
    }

    /**
     * The first checkpoint, before anything is installed: if the record cannot be written, a crash of
     * the update could not be recovered (the version it installs would stay beside the old one), so
     * the update is refused instead, with nothing changed.
     */
    void checkpointBeforeChanges() throws StepFailure {
        try {
            journal.write(report);
        } catch (UncheckedIOException e) {
            // reported at the step it keeps from running
            throw StepFailure.refused(new Refusal("the journal cannot be written (" + e.getCause() + "): an update that a crash"
                    + " interrupted could not be recovered, so none is started; free or repair " + journal.directory(), e))
                    .at(UpdateStep.INSTALL);
        }
    }
}
