package org.graft.update.internal.journal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.graft.container.internal.log.Logs;
import org.graft.update.dto.BundlePlanDTO;
import org.graft.update.dto.UpdateReportDTO;
import org.osgi.framework.Version;

/**
 * The last reports, oldest first, at most {@code maxReports} of them: adding one beyond the bound
 * drops the oldest finished report here, its record in the journal, and the archived jars that no kept
 * report names any more (a rollback only reinstalls a version named by a report it finds here, so
 * such a jar is unreachable, and the archive stays bounded by the history). A report still in progress
 * (read at start, before recovery resolves it) is never dropped, so it may hold a place beyond the bound.
 * Changed by the update thread only; read from any thread.
 */
public final class ReportHistory {
    private final Journal journal;
    private final BundleArchive archive;
    /** Guarded by itself: readers copy it under the lock, so each gets a consistent snapshot. */
    private final Deque<UpdateReportDTO> reports = new ArrayDeque<>();
    private volatile int maxReports;

    /**
     * Starts from the journal's newest {@code maxReports} records; older finished ones are deleted, and
     * so are the archived jars that only they named.
     */
    public ReportHistory(Journal journal, BundleArchive archive, int maxReports) throws IOException {
        this.journal = journal;
        this.archive = archive;
        this.maxReports = maxReports;
        reports.addAll(journal.readNewest(maxReports));
        pruneArchive();
    }

    public int maxReports() {
        return maxReports;
    }

    /** Adds a finished report; O(1) amortised, plus the deletion of what falls beyond the bound. */
    public void add(UpdateReportDTO report) {
        List<UpdateReportDTO> dropped;
        synchronized (reports) {
            reports.addLast(report);
            dropped = dropBeyondBound();
        }
        forget(dropped);
    }

    /** Changes the bound; a smaller one drops the oldest reports at once. */
    public void maxReports(int maxReports) {
        List<UpdateReportDTO> dropped;
        synchronized (reports) {
            this.maxReports = maxReports;
            dropped = dropBeyondBound();
        }
        forget(dropped);
    }

    /** Stores {@code report} again once the update thread has changed it, publishing the change to readers. */
    public void replace(UpdateReportDTO report) {
        synchronized (reports) {
            List<UpdateReportDTO> all = new ArrayList<>(reports);
            all.replaceAll(kept -> kept.id == report.id ? report : kept);
            reports.clear();
            reports.addAll(all);
        }
    }

    /** A copy, oldest first, that later changes do not affect. */
    public List<UpdateReportDTO> snapshot() {
        synchronized (reports) {
            return new ArrayList<>(reports);
        }
    }

    /** The newest report, or null. */
    public UpdateReportDTO last() {
        synchronized (reports) {
            return reports.peekLast();
        }
    }

    /**
     * The bundle of the newest successful update (or rollback) that brought {@code symbolicName} to
     * {@code version}: what a rollback from that version undoes.
     */
    public Optional<BundlePlanDTO> lastSucceededUpdateTo(String symbolicName, Version version) {
        List<UpdateReportDTO> all = snapshot();
        for (int i = all.size() - 1; i >= 0; i--) {
            UpdateReportDTO report = all.get(i);
            if (UpdateReportDTO.SUCCEEDED.equals(report.outcome) && report.plan != null) {
                for (BundlePlanDTO bundle : report.plan.bundles) {
                    if (bundle.symbolicName.equals(symbolicName) && version.equals(Version.parseVersion(bundle.toVersion))) {
                        return Optional.of(bundle);
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** The id of the newest successful report that replaced the managed service {@code identity}, or 0. */
    public long lastSucceededChangeOf(String identity) {
        List<UpdateReportDTO> all = snapshot();
        for (int i = all.size() - 1; i >= 0; i--) {
            UpdateReportDTO report = all.get(i);
            if (UpdateReportDTO.SUCCEEDED.equals(report.outcome) && report.plan != null
                    && report.plan.services.stream().anyMatch(service -> identity.equals(service.identity))) {
                return report.id;
            }
        }
        return 0L;
    }

    /** Whether older reports were dropped: ids count up from 1, so a history that starts later has lost some. */
    public boolean droppedAny() {
        synchronized (reports) {
            return !reports.isEmpty() && reports.peekFirst().id > 1;
        }
    }

    /** The oldest finished reports beyond the bound, removed; a report still in progress is kept for recovery. */
    private List<UpdateReportDTO> dropBeyondBound() {
        List<UpdateReportDTO> dropped = new ArrayList<>();
        Iterator<UpdateReportDTO> oldestFirst = reports.iterator();
        while (reports.size() > maxReports && oldestFirst.hasNext()) {
            UpdateReportDTO report = oldestFirst.next();
            if (!UpdateReportDTO.IN_PROGRESS.equals(report.outcome)) {
                oldestFirst.remove();
                dropped.add(report);
            }
        }
        return dropped;
    }

    /** Outside the lock: readers never wait for the disk. */
    private void forget(List<UpdateReportDTO> dropped) {
        if (dropped.isEmpty()) {
            return;
        }
        for (UpdateReportDTO report : dropped) {
            journal.delete(report.id);
        }
        pruneArchive();
    }

    private void pruneArchive() {
        Set<Path> named = new HashSet<>();
        for (UpdateReportDTO report : snapshot()) {
            if (report.plan == null) {
                continue;
            }
            for (BundlePlanDTO bundle : report.plan.bundles) {
                for (String version : new String[] {bundle.fromVersion, bundle.toVersion}) {
                    if (version != null) {
                        named.add(archive.pathOf(bundle.symbolicName, Version.parseVersion(version)));
                    }
                }
            }
        }
        try {
            archive.retainOnly(named);
        } catch (IOException e) {
            // The report is kept either way; an archive that could not be listed only keeps its old jars.
            Logs.get("org.graft.update.journal").log(Level.WARNING, "Graft could not prune its archive of retired bundle versions", e);
        }
    }
}
