package org.graft.update.internal.journal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import org.graft.update.dto.BundlePlanDTO;
import org.graft.update.dto.StepDTO;
import org.graft.update.dto.UpdatePlanDTO;
import org.graft.update.dto.UpdateReportDTO;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class JournalTest {
    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    @Test
    public void recordsRoundTripInIdOrderAndRewritesReplace() throws IOException {
        Journal journal = new Journal(folder.getRoot().toPath().resolve("journal"));
        journal.write(report(12, UpdateReportDTO.SUCCEEDED));
        journal.write(report(3, UpdateReportDTO.IN_PROGRESS));
        journal.write(report(3, UpdateReportDTO.FAILED));
        List<UpdateReportDTO> all = journal.readAll();
        assertEquals(2, all.size());
        assertEquals(3L, all.get(0).id);
        assertEquals(UpdateReportDTO.FAILED, all.get(0).outcome);
        assertEquals(12L, all.get(1).id);
        assertEquals("2.0.0", all.get(1).plan.bundles.get(0).toVersion);
        assertEquals("swap", all.get(1).steps.get(0).name);
        try (var files = Files.list(journal.directory())) {
            assertTrue("no temporary file left behind", files.noneMatch(p -> p.toString().endsWith(".tmp")));
        }
    }

    @Test
    public void anUnreadableRecordIsAnErrorNamingTheFile() throws IOException {
        Path directory = folder.getRoot().toPath().resolve("journal");
        Journal journal = new Journal(directory);
        Files.writeString(directory.resolve("update-000001.json"), "{ not json");
        IOException e = assertThrows(IOException.class, journal::readAll);
        assertTrue(e.getMessage(), e.getMessage().contains("update-000001.json cannot be read"));
    }

    /** A truncated or corrupt record at start must not keep the update manager from starting. */
    @Test
    public void atStartAnUnreadableRecordIsSetAsideAndTheOthersAreRead() throws IOException {
        Path directory = folder.getRoot().toPath().resolve("journal");
        Journal journal = new Journal(directory);
        journal.write(report(1, UpdateReportDTO.SUCCEEDED));
        journal.write(report(3, UpdateReportDTO.IN_PROGRESS));
        String whole = Files.readString(directory.resolve("update-000001.json"));
        Files.writeString(directory.resolve("update-000002.json"), whole.substring(0, whole.length() / 2));
        List<UpdateReportDTO> read = journal.readNewest(10);
        assertEquals(List.of(1L, 3L), ids(read));
        assertTrue(Files.exists(directory.resolve("update-000002.json.unreadable")));
        assertTrue(Files.notExists(directory.resolve("update-000002.json")));
        assertEquals("it is not read again", List.of(1L, 3L), ids(journal.readNewest(10)));
    }

    @Test
    public void aDirectoryWithMoreRecordsThanTheBoundIsReadNewestFirstAndTheRestDeleted() throws IOException {
        Journal journal = new Journal(folder.getRoot().toPath().resolve("journal"));
        // As an older Graft left it, without rotation; id 1000000 sorts after 999999 although its name does not.
        for (long id : new long[] {1, 2, 3, 4, 5, 999_999, 1_000_000}) {
            journal.write(report(id, UpdateReportDTO.SUCCEEDED));
        }
        List<UpdateReportDTO> kept = journal.readNewest(3);
        assertEquals(List.of(5L, 999_999L, 1_000_000L), ids(kept));
        assertEquals(List.of("update-000005.json", "update-1000000.json", "update-999999.json"), files(journal));
    }

    @Test
    public void aRecordStillInProgressIsKeptBeyondTheBoundForRecovery() throws IOException {
        Journal journal = new Journal(folder.getRoot().toPath().resolve("journal"));
        journal.write(report(1, UpdateReportDTO.SUCCEEDED));
        journal.write(report(2, UpdateReportDTO.IN_PROGRESS));
        journal.write(report(3, UpdateReportDTO.FAILED));
        journal.write(report(4, UpdateReportDTO.SUCCEEDED));
        assertEquals(List.of(2L, 4L), ids(journal.readNewest(1)));
        assertEquals(List.of("update-000002.json", "update-000004.json"), files(journal));
    }

    @Test
    public void deletingARecordThatCannotBeDeletedIsLoggedNotThrown() throws IOException {
        Path directory = folder.getRoot().toPath().resolve("journal");
        Journal journal = new Journal(directory);
        journal.write(report(1, UpdateReportDTO.SUCCEEDED));
        // A directory in the record's place: a non-empty one cannot be deleted.
        Files.delete(directory.resolve("update-000001.json"));
        Files.createDirectories(directory.resolve("update-000001.json").resolve("in-the-way"));
        journal.delete(1);
        assertTrue(Files.isDirectory(directory.resolve("update-000001.json")));
        journal.write(report(2, UpdateReportDTO.SUCCEEDED));
        journal.delete(2);
        assertEquals(List.of("update-000001.json"), files(journal));
    }

    private static List<Long> ids(List<UpdateReportDTO> reports) {
        return reports.stream().map(report -> report.id).collect(Collectors.toList());
    }

    private static List<String> files(Journal journal) throws IOException {
        try (var files = Files.list(journal.directory())) {
            return files.map(file -> file.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    private static UpdateReportDTO report(long id, String outcome) {
        UpdateReportDTO report = new UpdateReportDTO();
        report.id = id;
        report.outcome = outcome;
        report.plan = new UpdatePlanDTO();
        BundlePlanDTO bundle = new BundlePlanDTO();
        bundle.toVersion = "2.0.0";
        report.plan.bundles.add(bundle);
        StepDTO step = new StepDTO();
        step.name = "swap";
        report.steps.add(step);
        return report;
    }
}
