package org.graft.update.internal.planning;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.graft.update.dto.BundlePlanDTO;
import org.graft.update.dto.UpdateOptionsDTO;
import org.graft.update.internal.config.HistorySettings;
import org.graft.update.internal.journal.BundleArchive;
import org.graft.update.internal.journal.ReportHistory;
import org.osgi.framework.Bundle;
import org.osgi.framework.Version;

/**
 * The selection of a rollback: the running version of a bundle replaced by the version it had before
 * its last successful update, read from the archive of retired versions.
 */
public final class RollbackSelector {
    private final UpdatePlanner planner;
    private final ReportHistory history;
    private final BundleArchive archive;

    public RollbackSelector(UpdatePlanner planner, ReportHistory history, BundleArchive archive) {
        this.planner = planner;
        this.history = history;
        this.archive = archive;
    }

    public Selection select(String selector, UpdateOptionsDTO options) throws Refusal {
        UpdateOptionsDTO checked = UpdatePlanner.checkedOptions(options);
        Bundle running = planner.managedBundle(selector);
        UpdatePlanner.checkExpectedVersion(running, checked, "rollback");
        Optional<BundlePlanDTO> last = history.lastSucceededUpdateTo(running.getSymbolicName(), running.getVersion());
        if (last.isEmpty()) {
            String reason = "no successful update to " + running.getSymbolicName() + " " + running.getVersion()
                    + " is in the history";
            // The update may have been there once: say so rather than suggest there never was one.
            throw new Refusal(history.droppedAny()
                    ? reason + ", which keeps only the last " + history.maxReports() + " reports (" + HistorySettings.MAX_REPORTS
                            + "): the history no longer holds the version " + running.getSymbolicName()
                            + " had before, so there is nothing to roll back to"
                    : reason + ": there is nothing to roll back to");
        }
        Version previous = Version.parseVersion(last.get().fromVersion);
        Path archived = archive.pathOf(running.getSymbolicName(), previous);
        if (!Files.isRegularFile(archived)) {
            throw new Refusal("the archived jar of " + running.getSymbolicName() + " " + previous + " is missing (" + archived + ")");
        }
        return new Selection(List.of(planner.nextFromArchive(running, archived.toUri().toString())), checked);
    }
}
