package org.graft.update.internal.journal;

import java.util.ArrayList;
import java.util.List;

import org.graft.update.UpdateStep;
import org.graft.update.dto.BundlePlanDTO;
import org.graft.update.dto.StepDTO;
import org.graft.update.dto.UpdateReportDTO;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;

/**
 * Finishes, at start, an update that a framework stop interrupted, from its journal record: before the
 * swap, the version being installed is removed and the running one serves on; after it, the replaced
 * version is removed.
 */
public final class JournalRecovery {
    private final BundleContext context;

    public JournalRecovery(BundleContext context) {
        this.context = context;
    }

    /** Resolves {@code report} (an {@code IN_PROGRESS} record) and says so in it. */
    public void resolve(UpdateReportDTO report) {
        boolean swapped = false;
        String lastStep = UpdateStep.RESOLVE.label();
        boolean lastEnded = false;
        for (StepDTO step : report.steps) {
            lastStep = step.name;
            lastEnded = !StepDTO.RUNNING.equals(step.status);
            swapped |= UpdateStep.of(step.name).orElse(null) == UpdateStep.SWAP && StepDTO.OK.equals(step.status);
        }
        List<String> problems = new ArrayList<>();
        for (BundlePlanDTO bundle : report.plan == null ? List.<BundlePlanDTO>of() : report.plan.bundles) {
            long loser = swapped ? bundle.fromBundleId : bundle.toBundleId;
            Bundle installed = loser == 0L ? null : context.getBundle(loser);
            if (installed == null && !swapped) {
                // The framework stopped during the install, before its id was journaled: find it by the
                // location the install gave it, and its name and version.
                installed = installedBy(report, bundle);
                loser = installed == null ? 0L : installed.getBundleId();
            }
            if (installed != null) {
                try {
                    installed.uninstall();
                } catch (BundleException e) {
                    problems.add("bundle " + loser + " could not be removed: " + e.getMessage());
                }
            }
        }
        report.outcome = swapped ? UpdateReportDTO.SUCCEEDED : UpdateReportDTO.FAILED;
        report.failedStep = swapped ? null : lastStep;
        report.message = (swapped
                ? "the framework stopped after the swap; the old version was removed at restart"
                // The journal is written at a few points only: the last step it names may have ended.
                : "the framework stopped " + (lastEnded ? "after" : "during") + " step " + lastStep + ", before the swap; the new version was removed at restart"
                        + " and the old one serves")
                + (problems.isEmpty() ? "" : "; " + String.join("; ", problems));
        report.finishedAt = System.currentTimeMillis();
    }

    /** The bundle the interrupted install installed for {@code bundle}, if there is one. */
    private Bundle installedBy(UpdateReportDTO report, BundlePlanDTO bundle) {
        if (bundle.location == null || bundle.toVersion == null) {
            return null;
        }
        for (String location : List.of(bundle.location, bundle.location + "#graft-update-" + report.id)) {
            Bundle candidate = context.getBundle(location);
            if (candidate != null && candidate.getBundleId() != bundle.fromBundleId
                    && bundle.symbolicName.equals(candidate.getSymbolicName())
                    && candidate.getVersion().toString().equals(bundle.toVersion)) {
                return candidate;
            }
        }
        return null;
    }
}
