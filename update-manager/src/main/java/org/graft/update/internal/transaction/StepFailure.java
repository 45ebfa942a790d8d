package org.graft.update.internal.transaction;

import java.util.List;

import org.graft.update.UpdateStep;
import org.graft.update.internal.planning.Refusal;

/**
 * A step of an update did not complete. A refusal (nothing had changed yet) carries its reasons; a
 * failure its message and cause. A step's body throws it without naming itself: the {@link StepRecorder}
 * running the step attaches it.
 */
final class StepFailure extends Exception {
    private static final long serialVersionUID = 1L;

    private final List<String> reasons;
    private UpdateStep step;

    private StepFailure(String message, Throwable cause, List<String> reasons) {
        super(message, cause);
        this.reasons = reasons;
    }

    /** A failure whose message says what went wrong, in the words of the step that found it. */
    static StepFailure failed(String message, Throwable cause) {
        return new StepFailure(message, cause, null);
    }

    static StepFailure refused(Refusal refusal) {
        return new StepFailure(refusal.getMessage(), refusal.getCause(), refusal.reasons());
    }

    /** Names the step, unless a step was named already (a failure keeps the step that first saw it). */
    StepFailure at(UpdateStep failedStep) {
        if (step == null) {
            step = failedStep;
        }
        return this;
    }

    UpdateStep step() {
        return step;
    }

    boolean refusal() {
        return reasons != null;
    }

    /** The reasons of a refusal; a failure's message alone otherwise. */
    List<String> reasons() {
        return reasons != null ? reasons : List.of(getMessage());
    }
}
