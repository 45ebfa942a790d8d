package org.graft.update.internal;

import org.graft.update.dto.StepDTO;
import org.graft.update.dto.UpdateReportDTO;

/** Hears the steps of updates as they run (for progress output and status). */
interface UpdateListener {
    UpdateListener NONE = new UpdateListener() {
    };

    default void stepStarted(UpdateReportDTO report, StepDTO step) {
    }

    default void stepEnded(UpdateReportDTO report, StepDTO step) {
    }
}
