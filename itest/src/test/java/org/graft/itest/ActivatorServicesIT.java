package org.graft.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.stream.Collectors;

import org.graft.itest.fixtures.api.Notes;
import org.graft.update.dto.ManagedServiceDTO;
import org.graft.update.dto.ServicePlanDTO;
import org.graft.update.dto.StateEntryDTO;
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
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;

/**
 * Services of bundles written without Graft in mind, managed by configuration: registered by an
 * activator (no DS, no annotations), their state in plain fields named in the configuration; and the
 * registrations Graft cannot manage, which serve on unmanaged and are logged with the reason.
 */
@RunWith(PaxExam.class)
@ExamFactory(NativeTestContainerFactory.class)
@ExamReactorStrategy(PerMethod.class)
public class ActivatorServicesIT extends GraftTestSupport {
    static final String NOTES = "org.graft.itest.notes";
    static final String NOTES_IDENTITY = NOTES + "/" + Notes.class.getName();
    private static final String MOVING_NOTES = "org.graft.itest.movingnotes";
    private static final String NOTES_IMPL = "org.graft.itest.fixtures.notes.v1.NotesImpl";

    @Override
    protected Option[] testClassOptions() {
        return new Option[] {
            frameworkProperty("graft.managed.bundles").value(NOTES + ",org.graft.itest.notestwice,org.graft.itest.notesfactory,"
                    + "org.graft.itest.notesinvisible,org.graft.itest.notesclass"),
            frameworkProperty("graft.state.fields").value(NOTES_IDENTITY + ": notes; " + MOVING_NOTES + ": notes"),
            bundle(Fixtures.url("fixtures-api")).startLevel(3),
            bundle(Fixtures.url("notes-v1")).startLevel(4),
        };
    }

    @Test
    public void aServiceRegisteredByAnActivatorIsManagedUnderItsBundleAndInterface() throws Exception {
        Collection<ServiceReference<Notes>> references = context.getServiceReferences(Notes.class, null);
        assertEquals("consumers see one Notes, the proxy: " + references, 1, references.size());
        ServiceReference<Notes> proxy = references.iterator().next();
        assertEquals(Boolean.TRUE, proxy.getProperty("graft.managed"));
        assertEquals(NOTES_IDENTITY, proxy.getProperty("graft.identity"));
        List<String> identities = updateManager.managedServices().stream().map(service -> service.identity).toList();
        assertTrue(identities.toString(), identities.contains(NOTES_IDENTITY));
    }

    @Test
    public void anUpdateCarriesTheConfiguredFieldNeverTheWiringAndNoCallFails() throws Exception {
        Notes notes = service(Notes.class);
        UpdatePlanDTO plan = updateManager.plan(fixtureRequest(NOTES, "notes-v2"));
        assertTrue(plan.refusals.toString(), plan.refusals.isEmpty());
        Map<String, StateEntryDTO> entries = entries(plan.services.get(0));
        assertEquals("the configured field, the same JDK type in both versions", "HANDED_OVER", entries.get("notes").action);
        assertEquals("the BundleContext is wiring", "WIRING", entries.get("context").action);
        assertNotNull("the plan says how it was made", plan.services.get(0).note);

        UpdateReportDTO report;
        Callers callers = new Callers(3, "notes", index -> notes.add("n-" + index)).start();
        try {
            report = updateManager.update(fixtureRequest(NOTES, "notes-v2"));
            long after = callers.totalSuccesses();
            await("calls go on after the update", () -> callers.totalSuccesses() > after + 100);
        } finally {
            callers.close();
        }
        assertSucceeded(report);
        assertTrue("failed calls: " + callers.failures(), callers.failures().isEmpty());
        assertEquals("2", notes.version());
        for (int i = 0; i < 3; i++) {
            assertEquals("every note of caller " + i + ", before, during and after the update, is counted", callers.successes(i),
                    notes.count("n-" + i));
        }
        assertEquals(1, bundlesNamed(NOTES).size());
    }

    @Test
    public void aServiceThatMovesFromDsToAnActivatorIsUpdatedBehindTheSameProxy() throws Exception {
        Bundle moving = context.installBundle(Fixtures.url("moving-notes-v1"));
        moving.start();
        Notes notes = awaitNotes("(graft.identity=" + MOVING_NOTES + ")");
        notes.add("kept");
        long proxyId = (Long) context.getServiceReferences(Notes.class, "(graft.identity=" + MOVING_NOTES + ")").iterator()
                .next().getProperty(Constants.SERVICE_ID);

        UpdateReportDTO report = updateManager.update(fixtureRequest(MOVING_NOTES, "moving-notes-v2"));

        assertSucceeded(report);
        assertEquals("2", notes.version());
        assertEquals(1L, notes.count("kept"));
        assertEquals("the same proxy registration serves", proxyId, (long) (Long) context
                .getServiceReferences(Notes.class, "(graft.identity=" + MOVING_NOTES + ")").iterator().next()
                .getProperty(Constants.SERVICE_ID));
    }

    @Test
    public void registrationsGraftCannotManageServeUnmanagedAndTheLogSaysWhy() throws Exception {
        List<String> reasons = new ArrayList<>();
        try (CapturedLog log = CapturedLog.of("org.graft.container")) {
            for (String fixture : List.of("notes-twice", "notes-factory", "notes-invisible", "notes-class")) {
                context.installBundle(Fixtures.url(fixture)).start();
            }
            reasons.addAll(log.matching(Level.WARNING, "Graft does not manage service").stream().map(r -> r.getMessage())
                    .collect(Collectors.toList()));
        }
        assertTrue(reasons.toString(), reasons.stream().anyMatch(r -> r.contains("org.graft.itest.notestwice")
                && r.contains("more than once") && r.contains("identity.property")));
        assertTrue(reasons.toString(), reasons.stream().anyMatch(r -> r.contains("org.graft.itest.notesfactory")
                && r.contains("gives each bundle an instance of its own")));
        assertTrue(reasons.toString(), reasons.stream().anyMatch(r -> r.contains("org.graft.itest.notesinvisible")
                && r.contains("org.graft.itest.missing.Audited is not visible to its own bundle")));
        assertTrue(reasons.toString(), reasons.stream().anyMatch(r -> r.contains("org.graft.itest.notesclass")
                && r.contains("registered under the class " + NOTES_IMPL) && r.contains("only for interfaces")));
        assertEquals("each is logged once: " + reasons, 4, reasons.size());
        Collection<ServiceReference<Notes>> unmanaged = context.getServiceReferences(Notes.class, "(!(graft.managed=true))");
        assertEquals("the second of the twice-registered, the factory, the invisible and the class-registered one serve"
                + " directly: " + unmanaged, 4, unmanaged.size());
        List<ManagedServiceDTO> managed = updateManager.managedServices();
        assertTrue("the first of the twice-registered is managed: " + managed, managed.stream()
                .anyMatch(service -> "org.graft.itest.notestwice".equals(service.bundle)));
    }

    @Test
    public void aBundleWithServicesGraftLeftAloneIsNotUpdatedDynamically() throws Exception {
        context.installBundle(Fixtures.url("notes-twice")).start();
        UpdateReportDTO report = updateManager.update(fixtureRequest("org.graft.itest.notestwice", "notes-twice-v2"));
        assertEquals(report.message, UpdateReportDTO.REFUSED, report.outcome);
        assertTrue(report.message, report.message.contains("also registers services Graft does not manage")
                && report.message.contains("more than once") && report.message.contains("bundle:update"));
        assertEquals(1, bundlesNamed("org.graft.itest.notestwice").size());
        assertEquals("both registrations serve on", 2, context.getServiceReferences(Notes.class,
                "(|(notes.name=second)(graft.identity=org.graft.itest.notestwice*))").size());

        UpdateRequestDTO allowed = fixtureRequest("org.graft.itest.notestwice", "notes-twice-v2");
        allowed.options.withdrawUnmanaged = true;
        assertSucceeded(updateManager.update(allowed));
        assertEquals("2", context.getService(context.getServiceReferences(Notes.class,
                "(graft.identity=org.graft.itest.notestwice*)").iterator().next()).version());
        assertEquals("the next version registered its unmanaged one again", 1,
                context.getServiceReferences(Notes.class, "(notes.name=second)").size());
    }

    private Notes awaitNotes(String filter) throws Exception {
        await("a Notes service " + filter, () -> {
            try {
                return !context.getServiceReferences(Notes.class, filter).isEmpty();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        return context.getService(context.getServiceReferences(Notes.class, filter).iterator().next());
    }

    static Map<String, StateEntryDTO> entries(ServicePlanDTO service) {
        return service.state.stream().collect(Collectors.toMap(entry -> entry.name, entry -> entry));
    }
}
