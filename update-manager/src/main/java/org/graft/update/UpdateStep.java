package org.graft.update;

import java.util.Locale;
import java.util.Optional;

/**
 * The steps of an update, in the order they run. Their labels ({@code resolve}, {@code install}, ...)
 * are the names in {@link org.graft.update.dto.StepDTO#name} and {@link org.graft.update.dto.UpdateReportDTO#failedStep}.
 *
 * <p>Calls are held from the start of {@link #HOLD} to the end of {@link #SWAP}. {@link #SWAP} is the
 * point of no return: a failure before it is undone, one after it is only reported.
 *
 * @since 1.1
 */
public enum UpdateStep {
    /** Find the running bundles, read and check the next versions' jars. */
    RESOLVE,
    /** Install the next versions beside the running ones, staged: hidden, not started. */
    INSTALL,
    /** Resolve the next versions, match their services by identity, plan the state. */
    PLAN,
    /** Start the next versions. */
    START,
    /** Wait for their staged services and get their instances. */
    ACTIVATE,
    /**
     * Run the state transfer on a snapshot of the running state while calls still flow: find what would
     * fail it, warm its code and caches, and estimate its duration. Skipped for a hand-over by reference.
     *
     * @since 1.2
     */
    REHEARSE,
    /** Hold new calls to every service of the update. */
    HOLD,
    /** Wait until no call runs on the running versions. */
    DRAIN,
    /** Suspend the running instances that are {@code Suspendable}. */
    SUSPEND,
    /** Capture, convert or transform, and inject the state. */
    TRANSFER,
    /** Resume the next instances that are {@code Suspendable}. */
    RESUME,
    /** Point every proxy at its next instance and release the held calls there. */
    SWAP,
    /** Publish the next versions' other services; archive, uninstall and refresh the replaced versions. */
    RETIRE;

    /** Whether calls are held while the step runs. */
    public boolean holdsCalls() {
        return compareTo(HOLD) >= 0 && compareTo(SWAP) <= 0;
    }

    /** How reports name the step. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The step a report names, if it names one. */
    public static Optional<UpdateStep> of(String label) {
        for (UpdateStep step : values()) {
            if (step.label().equals(label)) {
                return Optional.of(step);
            }
        }
        return Optional.empty();
    }
}
