package org.graft.update.internal.journal;

import java.io.IOException;
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
 * version is archived (so that a rollback can reach it) and removed.
 *
 * <p>A record is a file, and a file can be wrong (planted, or left by another installation), so
 * recovery never acts on a bundle id alone: it removes a bundle only if the bundle is the version the
 * record says the update installed or replaced (symbolic name and version; for a new version, also
 * the location the install gave it), and only if the other version of that bundle is installed too,
 * so that recovery can never remove the last version of anything. A bundle that fails these checks is
 * left as it is, and the record says which and why.
 */
public final class JournalRecovery {
    private final BundleContext context;
    private final BundleArchive archive;

    public JournalRecovery(BundleContext context, BundleArchive archive) {
        this.context = context;
        this.archive = archive;
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
            String problem = swapped ? retireReplaced(bundle) : removeInstalled(report, bundle);
            if (problem != null) {
                problems.add(problem);
            }
        }
        report.outcome = swapped ? UpdateReportDTO.SUCCEEDED : UpdateReportDTO.FAILED;
        report.failedStep = swapped ? null : lastStep;
        report.message = (swapped
                ? "the framework stopped after the swap; the old version was archived and removed at restart"
                // The journal is written at a few points only: the last step it names may have ended.
                : "the framework stopped " + (lastEnded ? "after" : "during") + " step " + lastStep + ", before the swap; the new version was removed at restart"
                        + " and the old one serves")
                + (problems.isEmpty() ? "" : "; " + String.join("; ", problems));
        report.finishedAt = System.currentTimeMillis();
    }

    /** Before the swap: removes the new version, if the record's bundle is it. Returns a problem, or null. */
    private String removeInstalled(UpdateReportDTO report, BundlePlanDTO bundle) {
        Bundle installed = bundle.toBundleId == 0L ? null : context.getBundle(bundle.toBundleId);
        if (installed == null) {
            // The framework stopped during the install, before its id was journaled: find it by the
            // location the install gave it.
            installed = installedAt(report, bundle);
            if (installed == null) {
                return null;
            }
        }
        if (!isVersion(installed, bundle.symbolicName, bundle.toVersion) || !installLocations(report, bundle).contains(installed.getLocation())
                || installed.getBundleId() == bundle.fromBundleId) {
            return leftAlone(installed, "it is not the version " + bundle.toVersion + " of " + bundle.symbolicName + " that this update installed");
        }
        if (!isVersion(context.getBundle(bundle.fromBundleId), bundle.symbolicName, bundle.fromVersion)) {
            return leftAlone(installed, "the version it was to replace, " + bundle.symbolicName + " " + bundle.fromVersion
                    + " (id " + bundle.fromBundleId + "), is not installed: removing it would leave none");
        }
        return uninstall(installed);
    }

    /** After the swap: archives, then removes, the replaced version, if the record's bundle is it. */
    private String retireReplaced(BundlePlanDTO bundle) {
        Bundle replaced = context.getBundle(bundle.fromBundleId);
        if (replaced == null) {
            return null;
        }
        if (!isVersion(replaced, bundle.symbolicName, bundle.fromVersion)) {
            return leftAlone(replaced, "it is not the version " + bundle.fromVersion + " of " + bundle.symbolicName + " that this update replaced");
        }
        if (!isVersion(context.getBundle(bundle.toBundleId), bundle.symbolicName, bundle.toVersion)) {
            return leftAlone(replaced, "the version that replaced it, " + bundle.symbolicName + " " + bundle.toVersion
                    + " (id " + bundle.toBundleId + "), is not installed: removing it would leave none");
        }
        try {
            archive.archive(replaced);
        } catch (IOException | RuntimeException e) {
            return leftAlone(replaced, "archiving it for a rollback failed (" + e.getMessage() + "); remove it by hand once"
                    + " its jar is kept elsewhere");
        }
        return uninstall(replaced);
    }

    private static String uninstall(Bundle bundle) {
        try {
            bundle.uninstall();
            return null;
        } catch (BundleException | IllegalStateException e) {
            return describe(bundle) + " could not be removed: " + e.getMessage();
        }
    }

    private static boolean isVersion(Bundle bundle, String symbolicName, String version) {
        return bundle != null && symbolicName != null && version != null && symbolicName.equals(bundle.getSymbolicName())
                && bundle.getVersion().toString().equals(version);
    }

    /** The locations an install of the update gives a new version: the jar's own, or with the update's suffix if that was taken. */
    private static List<String> installLocations(UpdateReportDTO report, BundlePlanDTO bundle) {
        return bundle.location == null ? List.of() : List.of(bundle.location, bundle.location + "#graft-update-" + report.id);
    }

    /** The bundle the interrupted install installed for {@code bundle}, if there is one. */
    private Bundle installedAt(UpdateReportDTO report, BundlePlanDTO bundle) {
        for (String location : installLocations(report, bundle)) {
            Bundle candidate = context.getBundle(location);
            if (candidate != null && candidate.getBundleId() != bundle.fromBundleId) {
                return candidate;
            }
        }
        return null;
    }

    private static String leftAlone(Bundle bundle, String why) {
        return describe(bundle) + " was left as it is: " + why;
    }

    private static String describe(Bundle bundle) {
        return "bundle " + bundle.getBundleId() + " (" + bundle.getSymbolicName() + " " + bundle.getVersion() + " at "
                + bundle.getLocation() + ")";
    }
}
