package org.graft.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;

import java.util.Map;

import org.graft.itest.fixtures.api.Notes;
import org.graft.update.dto.StateEntryDTO;
import org.graft.update.dto.UpdatePlanDTO;
import org.graft.update.dto.UpdateReportDTO;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.ExamFactory;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.nat.internal.NativeTestContainerFactory;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;

/**
 * State nobody annotated and nobody configured: the plan says it is reset, and the update resets it,
 * no more.
 */
@RunWith(PaxExam.class)
@ExamFactory(NativeTestContainerFactory.class)
@ExamReactorStrategy(PerMethod.class)
public class UndeclaredStateIT extends GraftTestSupport {

    @Override
    protected Option[] testClassOptions() {
        return new Option[] {
            frameworkProperty("graft.managed.bundles").value(ActivatorServicesIT.NOTES),
            bundle(Fixtures.url("fixtures-api")).startLevel(3),
            bundle(Fixtures.url("notes-v1")).startLevel(4),
        };
    }

    @Test
    public void theDryRunNamesTheFieldThatWouldBeResetAndTheUpdateResetsOnlyIt() {
        Notes notes = service(Notes.class);
        notes.add("lost");
        UpdatePlanDTO plan = updateManager.plan(fixtureRequest(ActivatorServicesIT.NOTES, "notes-v2"));
        assertTrue("resetting is not a refusal: " + plan.refusals, plan.refusals.isEmpty());
        Map<String, StateEntryDTO> entries = ActivatorServicesIT.entries(plan.services.get(0));
        assertEquals("RESET", entries.get("notes").action);
        assertTrue(entries.get("notes").reason, entries.get("notes").reason.contains("not declared as state"));
        assertEquals("WIRING", entries.get("context").action);

        UpdateReportDTO report = updateManager.update(fixtureRequest(ActivatorServicesIT.NOTES, "notes-v2"));
        assertSucceeded(report);
        assertEquals("2", notes.version());
        assertEquals("reset, as the plan said", 0L, notes.count("lost"));
    }
}
