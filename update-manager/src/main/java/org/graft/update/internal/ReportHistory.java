package org.graft.update.internal;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;

import org.graft.update.dto.UpdateReportDTO;

/**
 * The last reports, oldest first, at most {@code maxReports} of them: adding one beyond the bound
 * drops the oldest finished report here and its record in the journal. A report still in progress
 * (read at start, before recovery resolves it) is never dropped, so it may hold a place beyond the bound.
 * Changed by the update thread only; read from any thread.
 */
final class ReportHistory {
    private final Journal journal;
    /** Guarded by itself: readers copy it under the lock, so each gets a consistent snapshot. */
    private final Deque<UpdateReportDTO> reports = new ArrayDeque<>();
    private volatile int maxReports;

    /** Starts from the journal's newest {@code maxReports} records; older finished ones are deleted. */
    ReportHistory(Journal journal, int maxReports) throws IOException {
        this.journal = journal;
        this.maxReports = maxReports;
        reports.addAll(journal.readNewest(maxReports));
    }

    int maxReports() {
        return maxReports;
    }

    /** Adds a finished report; O(1) amortised, plus the deletion of what falls beyond the bound. */
    void add(UpdateReportDTO report) {
        List<UpdateReportDTO> dropped;
        synchronized (reports) {
            reports.addLast(report);
            dropped = dropBeyondBound();
        }
        forget(dropped);
    }

    /** Changes the bound; a smaller one drops the oldest reports at once. */
    void maxReports(int maxReports) {
        List<UpdateReportDTO> dropped;
        synchronized (reports) {
            this.maxReports = maxReports;
            dropped = dropBeyondBound();
        }
        forget(dropped);
    }

    /** Stores {@code report} again once the update thread has changed it, publishing the change to readers. */
    void replace(UpdateReportDTO report) {
        synchronized (reports) {
            List<UpdateReportDTO> all = new ArrayList<>(reports);
            all.replaceAll(kept -> kept.id == report.id ? report : kept);
            reports.clear();
            reports.addAll(all);
        }
    }

    /** A copy, oldest first, that later changes do not affect. */
    List<UpdateReportDTO> snapshot() {
        synchronized (reports) {
            return new ArrayList<>(reports);
        }
    }

    /** The newest report, or null. */
    UpdateReportDTO last() {
        synchronized (reports) {
            return reports.peekLast();
        }
    }

    /** Whether older reports were dropped: ids count up from 1, so a history that starts later has lost some. */
    boolean droppedAny() {
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
        for (UpdateReportDTO report : dropped) {
            journal.delete(report.id);
        }
    }
}
