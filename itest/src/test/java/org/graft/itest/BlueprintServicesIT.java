package org.graft.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.graft.itest.fixtures.api.Notes;
import org.graft.itest.fixtures.api.Store;
import org.graft.update.dto.UpdatePlanDTO;
import org.graft.update.dto.UpdateReportDTO;
import org.graft.update.dto.UpdateRequestDTO;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.ExamFactory;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.nat.internal.NativeTestContainerFactory;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;

/**
 * A service registered through Blueprint, by the real Apache Aries Blueprint container (the versions
 * Karaf 4.4.10 ships), managed by configuration: identified by its Blueprint component name, updated
 * with its bean's configured state while callers call.
 */
@RunWith(PaxExam.class)
@ExamFactory(NativeTestContainerFactory.class)
@ExamReactorStrategy(PerMethod.class)
public class BlueprintServicesIT extends GraftTestSupport {
    private static final String BLUEPRINT_NOTES = "org.graft.itest.blueprintnotes";

    @Override
    protected Option[] testClassOptions() {
        return new Option[] {
            frameworkProperty("graft.managed.bundles").value(BLUEPRINT_NOTES),
            frameworkProperty("graft.state.fields").value("notes: notes"),
            mavenBundle("org.ow2.asm", "asm").versionAsInProject().startLevel(3),
            mavenBundle("org.ow2.asm", "asm-tree").versionAsInProject().startLevel(3),
            mavenBundle("org.ow2.asm", "asm-analysis").versionAsInProject().startLevel(3),
            mavenBundle("org.ow2.asm", "asm-commons").versionAsInProject().startLevel(3),
            mavenBundle("org.ow2.asm", "asm-util").versionAsInProject().startLevel(3),
            mavenBundle("org.apache.aries.proxy", "org.apache.aries.proxy").versionAsInProject().startLevel(3),
            mavenBundle("org.apache.aries", "org.apache.aries.util").versionAsInProject().startLevel(3),
            mavenBundle("org.apache.aries.blueprint", "org.apache.aries.blueprint.api").versionAsInProject().startLevel(3),
            mavenBundle("org.apache.aries.blueprint", "org.apache.aries.blueprint.core").versionAsInProject().startLevel(3),
            bundle(Fixtures.url("fixtures-api")).startLevel(3),
            bundle(Fixtures.url("blueprint-notes-v1")).startLevel(4),
        };
    }

    @Test
    public void aBlueprintServiceIsManagedUnderItsComponentNameAndUpdatedWithItsState() throws Exception {
        Notes notes = awaitNotes();
        ServiceReference<Notes> proxy = context.getServiceReference(Notes.class);
        assertEquals(Boolean.TRUE, proxy.getProperty("graft.managed"));
        assertEquals("Blueprint's component name is the identity", "notes", proxy.getProperty("graft.identity"));
        assertEquals("1", notes.version());
        UpdatePlanDTO plan = updateManager.plan(fixtureRequest(BLUEPRINT_NOTES, "blueprint-notes-v2"));
        assertEquals(plan.refusals.toString(), List.of(), plan.refusals);

        UpdateReportDTO report;
        Callers callers = new Callers(2, "blueprint", index -> notes.add("n-" + index)).start();
        try {
            report = updateManager.update(fixtureRequest(BLUEPRINT_NOTES, "blueprint-notes-v2"));
            long after = callers.totalSuccesses();
            await("calls go on after the update", () -> callers.totalSuccesses() > after + 100);
        } finally {
            callers.close();
        }
        System.out.println("Blueprint notes 1 -> 2 under load: " + describe(report) + "; steps "
                + report.steps.stream().map(step -> step.name + " at +" + (step.startedAt - report.startedAt) + " ms for "
                        + step.durationMicros + " µs").toList());
        assertSucceeded(report);
        assertEquals("failed calls: " + callers.failures(), List.of(), List.copyOf(callers.failures()));
        assertEquals("2", notes.version());
        for (int i = 0; i < 2; i++) {
            assertEquals("every note of caller " + i + " is counted", callers.successes(i), notes.count("n-" + i));
        }
        assertEquals("consumers still see one Notes", 1, context.getServiceReferences(Notes.class, null).size());
        assertEquals(1, bundlesNamed(BLUEPRINT_NOTES).size());
    }

    @Test
    public void aBlueprintVersionThatWaitsForAServiceFailsNamingItAndTheOldOneServesOn() throws Exception {
        Notes notes = awaitNotes();
        notes.add("kept");
        UpdateRequestDTO request = fixtureRequest(BLUEPRINT_NOTES, "blueprint-notes-v2-waiting");
        request.options.serviceTimeoutMillis = 2_000;
        UpdateReportDTO report;
        Callers callers = new Callers(2, "blueprint", index -> notes.add("n-" + index)).start();
        try {
            report = updateManager.update(request);
            long after = callers.totalSuccesses();
            await("calls go on after the failed update", () -> callers.totalSuccesses() > after + 100);
        } finally {
            callers.close();
        }
        assertEquals(report.message, UpdateReportDTO.FAILED, report.outcome);
        assertTrue("the message says what the Blueprint container waits for: " + report.message,
                report.message.contains("its Blueprint container waits for [(&(objectClass=" + Store.class.getName()
                        + ")(purpose=never-registered))]")
                || report.message.contains("its Blueprint container waits for [(&(purpose=never-registered)(objectClass="
                        + Store.class.getName() + "))]"));
        assertTrue(report.message, report.message.contains("Nothing changed"));
        assertEquals("failed calls: " + callers.failures(), List.of(), List.copyOf(callers.failures()));
        assertEquals("1", notes.version());
        assertEquals(1, notes.count("kept"));
        assertEquals("the waiting version is gone", 1, bundlesNamed(BLUEPRINT_NOTES).size());
    }

    /** Blueprint registers its services on a thread of its own, after the bundle started. */
    private Notes awaitNotes() throws InterruptedException {
        ServiceTracker<Notes, Notes> tracker = new ServiceTracker<>(context, Notes.class, null);
        tracker.open();
        Notes notes = tracker.waitForService(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        assertNotNull("the Blueprint container registered the notes", notes);
        return notes;
    }
}
