package org.graft.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;


import org.graft.itest.fixtures.api.Notes;
import org.graft.update.dto.UpdateReportDTO;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.ExamFactory;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.nat.internal.NativeTestContainerFactory;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;

/** With strict state, an update that would reset undeclared state is refused before anything changes. */
@RunWith(PaxExam.class)
@ExamFactory(NativeTestContainerFactory.class)
@ExamReactorStrategy(PerMethod.class)
public class StrictStateIT extends GraftTestSupport {

    @Override
    protected Option[] testClassOptions() {
        return new Option[] {
            frameworkProperty("graft.managed.bundles").value(ActivatorServicesIT.NOTES),
            frameworkProperty("graft.state.strict").value("true"),
            bundle(Fixtures.url("fixtures-api")).startLevel(3),
            bundle(Fixtures.url("notes-v1")).startLevel(4),
        };
    }

    @Test
    public void anUpdateThatWouldResetUndeclaredStateIsRefusedNamingTheField() {
        Notes notes = service(Notes.class);
        notes.add("kept");
        UpdateReportDTO report = updateManager.update(fixtureRequest(ActivatorServicesIT.NOTES, "notes-v2"));
        assertEquals(report.message, UpdateReportDTO.REFUSED, report.outcome);
        assertEquals("plan", report.failedStep);
        assertTrue(report.message, report.message.contains("strict state") && report.message.contains("[notes]"));
        assertTrue("the wiring is not counted as state: " + report.message, !report.message.contains("context"));
        assertEquals("1", notes.version());
        assertEquals(1L, notes.count("kept"));
        assertEquals(1, bundlesNamed(ActivatorServicesIT.NOTES).size());
    }
}
