package org.graft.update.internal.journal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.stream.Collectors;

import org.graft.update.dto.UpdateReportDTO;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The history keeps the last reports only, in memory and in the journal alike. */
public class ReportHistoryTest {
    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    @Test
    public void addingBeyondTheBoundDropsTheOldestHereAndInTheJournal() throws IOException {
        Journal journal = new Journal(folder.getRoot().toPath().resolve("journal"));
        ReportHistory history = new ReportHistory(journal, archive(), 3);
        assertNull(history.last());
        for (long id = 1; id <= 1000; id++) {
            history.add(finished(journal, id));
        }
        assertEquals(List.of(998L, 999L, 1000L), ids(history.snapshot()));
        assertEquals(1000L, history.last().id);
        assertEquals(List.of(998L, 999L, 1000L), ids(journal.readAll()));
        assertTrue(history.droppedAny());
    }

    @Test
    public void aSnapshotIsNotChangedByLaterAdds() throws IOException {
        Journal journal = new Journal(folder.getRoot().toPath().resolve("journal"));
        ReportHistory history = new ReportHistory(journal, archive(), 2);
        history.add(finished(journal, 1));
        List<UpdateReportDTO> before = history.snapshot();
        history.add(finished(journal, 2));
        history.add(finished(journal, 3));
        assertEquals(List.of(1L), ids(before));
        assertFalse(new ReportHistory(new Journal(folder.getRoot().toPath().resolve("empty")), archive(), 2).droppedAny());
    }

    @Test
    public void aReportStillInProgressIsNeverDropped() throws IOException {
        Journal journal = new Journal(folder.getRoot().toPath().resolve("journal"));
        journal.write(report(1, UpdateReportDTO.IN_PROGRESS));
        ReportHistory history = new ReportHistory(journal, archive(), 2);
        history.add(finished(journal, 2));
        history.add(finished(journal, 3));
        history.add(finished(journal, 4));
        assertEquals(List.of(1L, 4L), ids(history.snapshot()));
        assertEquals(List.of(1L, 4L), ids(journal.readAll()));
    }

    @Test
    public void aStartLoadsTheNewestOnlyAndASmallerBoundDropsAtOnce() throws IOException {
        Journal journal = new Journal(folder.getRoot().toPath().resolve("journal"));
        for (long id = 1; id <= 10; id++) {
            finished(journal, id);
        }
        ReportHistory history = new ReportHistory(journal, archive(), 4);
        assertEquals(List.of(7L, 8L, 9L, 10L), ids(history.snapshot()));
        history.maxReports(2);
        assertEquals(2, history.maxReports());
        assertEquals(List.of(9L, 10L), ids(history.snapshot()));
        assertEquals(List.of(9L, 10L), ids(journal.readAll()));
    }

    /** A report as the update thread finishes it: journaled, then added. */
    private static UpdateReportDTO finished(Journal journal, long id) {
        UpdateReportDTO report = report(id, UpdateReportDTO.SUCCEEDED);
        journal.write(report);
        return report;
    }

    private static UpdateReportDTO report(long id, String outcome) {
        UpdateReportDTO report = new UpdateReportDTO();
        report.id = id;
        report.outcome = outcome;
        return report;
    }

    private static List<Long> ids(List<UpdateReportDTO> reports) {
        return reports.stream().map(report -> report.id).collect(Collectors.toList());
    }

    private BundleArchive archive() throws IOException {
        return new BundleArchive(folder.getRoot().toPath().resolve("archive"));
    }
}
