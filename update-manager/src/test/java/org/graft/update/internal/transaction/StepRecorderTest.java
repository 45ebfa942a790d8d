package org.graft.update.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.graft.update.dto.StepDTO;
import org.graft.update.dto.UpdateReportDTO;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** While calls are held, a step's end neither touches the disk nor calls a listener. */
public class StepRecorderTest {
    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    @Test
    public void nothingIsJournaledOrReportedWhileHeldAndAllOfItAfterwards() throws Exception {
        Path directory = folder.getRoot().toPath().resolve("journal");
        Journal journal = new Journal(directory);
        UpdateReportDTO report = new UpdateReportDTO();
        report.id = 7;
        List<String> heard = new ArrayList<>();
        StepRecorder steps = new StepRecorder(report, journal, (r, step) -> heard.add(step.name + " " + step.status));
        Path record = directory.resolve("update-000007.json");

        steps.run("activate", () -> null);
        assertEquals(List.of("activate OK"), heard);
        assertTrue(Files.exists(record));
        Files.delete(record);

        steps.holding(true);
        steps.run("hold", () -> null);
        steps.run("drain", () -> null);
        assertFalse("no journal write while calls are held", Files.exists(record));
        assertEquals("no listener call while calls are held", List.of("activate OK"), heard);

        steps.holding(false);
        assertEquals(List.of("activate OK", "hold OK", "drain OK"), heard);
        assertEquals(List.of("activate", "hold", "drain"), names(journal.readAll().get(0).steps));
    }

    private static List<String> names(List<StepDTO> steps) throws IOException {
        List<String> names = new ArrayList<>();
        for (StepDTO step : steps) {
            names.add(step.name);
        }
        return names;
    }
}
