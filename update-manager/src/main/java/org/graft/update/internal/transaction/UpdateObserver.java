package org.graft.update.internal.transaction;

import org.graft.update.UpdateProgress;
import org.graft.update.dto.StepDTO;
import org.graft.update.dto.UpdateReportDTO;

/**
 * Hears every update and rollback from start to end, as its steps end (deferred, like progress, until
 * held calls are released): the events that monitoring sees. An interface of its own so that the
 * transaction never loads the classes of the optional package that carries them.
 */
public interface UpdateObserver extends UpdateProgress {
    /** Nobody observes. */
    UpdateObserver NONE = new UpdateObserver() {
        @Override
        public void started(UpdateReportDTO report) {
        }

        @Override
        public void stepEnded(UpdateReportDTO report, StepDTO step) {
        }

        @Override
        public void finished(UpdateReportDTO report) {
        }
    };

    void started(UpdateReportDTO report);

    /** The report is final (outcome, message, timings). */
    void finished(UpdateReportDTO report);
}
