package org.graft.update.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

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
