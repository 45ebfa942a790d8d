package org.graft.update.internal;

import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;

import java.util.ArrayList;
import java.util.List;

import org.graft.update.UpdateProgress;
import org.graft.update.dto.StepDTO;
import org.graft.update.dto.UpdateReportDTO;

/**
 * Runs the steps of one update, recording each (name, status, duration, detail) in the report, and
 * writes the report to the journal and tells the progress listener between steps. While calls are
 * held, neither happens: a held call must not wait for a disk or for a listener.
 */
final class StepRecorder {
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

    StepRecorder(UpdateReportDTO report, Journal journal, UpdateProgress progress) {
        this.report = report;
        this.journal = journal;
        this.progress = progress;
    }

    UpdateReportDTO report() {
        return report;
    }

    /** Suspends (true) or resumes (false) journal writes and progress reports; resuming catches up at once. */
    void holding(boolean holding) {
        this.holding = holding;
        if (!holding) {
            persist();
            for (StepDTO step : unreported) {
                progress.stepEnded(report, step);
            }
            unreported.clear();
        }
    }

    <T> T run(String name, Body<T> body) throws StepFailure {
        StepDTO step = new StepDTO();
        step.name = name;
        step.status = StepDTO.RUNNING;
        step.startedAt = System.currentTimeMillis();
        report.steps.add(step);
        persist();
        long start = System.nanoTime();
        try {
            T result = body.run();
            step.status = StepDTO.OK;
            return result;
        } catch (StepFailure failure) {
            step.status = StepDTO.FAILED;
            step.detail = failure.getMessage();
            throw failure;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            step.status = StepDTO.FAILED;
            step.detail = "interrupted";
            throw StepFailure.failed(name, "the update was interrupted during step " + name, e);
        } catch (Exception e) {
            step.status = StepDTO.FAILED;
            step.detail = String.valueOf(e.getMessage());
            throw StepFailure.failed(name, e.getMessage() == null ? e.toString() : e.getMessage(), e);
        } finally {
            step.durationMicros = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - start);
            if (holding) {
                unreported.add(step);
            } else {
                progress.stepEnded(report, step);
            }
            persist();
        }
    }

    /** Adds a detail to the last step. */
    void detail(String detail) {
        StepDTO last = report.steps.get(report.steps.size() - 1);
        last.detail = last.detail == null ? detail : last.detail + "; " + detail;
    }

    void persist() {
        if (!holding && journal != null) {
            try {
                journal.write(report);
            } catch (UncheckedIOException e) {
                // The update itself is not at risk; a journal that cannot be written is logged loudly.
                System.getLogger("org.graft.update").log(System.Logger.Level.ERROR,
                        "Graft could not journal update " + report.id + ": its history may be incomplete after a restart", e);
            }
        }
    }
}
