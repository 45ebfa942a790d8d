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
    private boolean checkpointDue;

    StepRecorder(UpdateReportDTO report, Journal journal, UpdateProgress progress) {
        this.report = report;
        this.journal = journal;
        this.progress = progress;
    }

    /** Defers (true) or resumes (false) progress reports and journal writes; resuming catches up at once. */
    void holding(boolean held) {
        holding = held;
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
        report.steps.add(step);
        long start = System.nanoTime();
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
     * cannot be written is logged: the update itself is not at risk, only what a restart can recover.
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
        }
    }
}
