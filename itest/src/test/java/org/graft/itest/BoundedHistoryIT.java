package org.graft.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;

import java.io.File;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import org.graft.sample.api.CounterService;
import org.graft.update.dto.UpdateOptionsDTO;
import org.graft.update.dto.UpdateReportDTO;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.ExamFactory;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.OptionUtils;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.nat.internal.NativeTestContainerFactory;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;
import org.osgi.framework.Bundle;

/** A history of two reports: older ones leave memory and disk (with the archived jars only they named), and a rollback that needed one is refused. */
@RunWith(PaxExam.class)
@ExamFactory(NativeTestContainerFactory.class)
@ExamReactorStrategy(PerMethod.class)
public class BoundedHistoryIT extends GraftTestSupport {

    @Override
    @Configuration
    public Option[] configuration() {
        return OptionUtils.combine(super.configuration(), frameworkProperty("graft.history.max.reports").value("2"));
    }

    @Test
    public void aRollbackWhoseUpdateWasRotatedAwayIsRefusedAndNothingChanges() {
        CounterService counter = service(CounterService.class);
        counter.increment("a");
        UpdateReportDTO update = update(COUNTER, "counter-v2");
        assertSucceeded(update);
        String archivedV1 = COUNTER + "-1.0.0.jar";
        assertEquals("the retired version is archived for a rollback", List.of(archivedV1), archivedJars());
        // A request that is simply invalid leaves no record: it cannot push a real update out.
        UpdateReportDTO invalid = updateManager.rollback(GREETING, new UpdateOptionsDTO());
        assertEquals(invalid.message, UpdateReportDTO.REFUSED, invalid.outcome);
        assertEquals(List.of(update.id), ids(updateManager.history()));
        // Two more updates push the counter's update out of a history of two.
        assertSucceeded(update(GREETING, "greeting-v2"));
        assertSucceeded(updateManager.rollback(GREETING, new UpdateOptionsDTO()));
        assertEquals(List.of(update.id + 1, update.id + 2), ids(updateManager.history()));
        assertEquals("no report names the counter's archived version any more: no rollback can reach it; the greeting's"
                + " versions are named by the two reports kept", List.of(GREETING + "-1.0.0.jar", GREETING + "-2.0.0.jar"),
                archivedJars());

        UpdateReportDTO rollback = updateManager.rollback(COUNTER, new UpdateOptionsDTO());
        assertEquals(rollback.message, UpdateReportDTO.REFUSED, rollback.outcome);
        assertTrue(rollback.message, rollback.message.contains("keeps only the last 2 reports (history.max.reports)"));
        assertTrue(rollback.message, rollback.message.contains("the history no longer holds the version " + COUNTER + " had before"));
        assertTrue(rollback.message, rollback.message.endsWith("Nothing changed."));
        assertEquals("2", counter.version());
        assertEquals(1L, counter.get("a"));
        assertEquals(1, bundlesNamed(COUNTER).size());

        assertEquals("the refused rollback is no record either", 0L, rollback.id);
        assertEquals(List.of(update.id + 1, update.id + 2), ids(updateManager.history()));
        assertEquals(List.of(String.format("update-%06d.json", update.id + 1), String.format("update-%06d.json", update.id + 2)),
                journalFiles());
    }

    private List<String> journalFiles() {
        Bundle manager = bundlesNamed("org.graft.update.manager").get(0);
        File journal = manager.getDataFile("journal");
        return Arrays.stream(journal.list()).sorted().collect(Collectors.toList());
    }

    private List<String> archivedJars() {
        Bundle manager = bundlesNamed("org.graft.update.manager").get(0);
        String[] files = manager.getDataFile("archive").list();
        return files == null ? List.of() : Arrays.stream(files).filter(name -> name.endsWith(".jar")).sorted().collect(Collectors.toList());
    }

    private static List<Long> ids(List<UpdateReportDTO> reports) {
        return reports.stream().map(report -> report.id).collect(Collectors.toList());
    }
}
