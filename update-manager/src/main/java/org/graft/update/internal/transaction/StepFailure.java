package org.graft.update.internal;

/** A step of an update failed; carries the step and whether it was a refusal (nothing had run yet). */
final class StepFailure extends Exception {
    private static final long serialVersionUID = 1L;

    final String step;
    final boolean refusal;

    StepFailure(String step, String message, Throwable cause, boolean refusal) {
        super(message, cause);
        this.step = step;
        this.refusal = refusal;
    }

    static StepFailure refused(String step, String message) {
        return new StepFailure(step, message, null, true);
    }

    static StepFailure failed(String step, String message, Throwable cause) {
        return new StepFailure(step, message, cause, false);
    }
}
