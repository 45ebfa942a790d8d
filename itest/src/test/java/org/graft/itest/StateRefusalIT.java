package org.graft.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.graft.sample.api.CounterService;
import org.graft.update.dto.ServicePlanDTO;
import org.graft.update.dto.StateEntryDTO;
import org.graft.update.dto.StepDTO;
import org.graft.update.dto.UpdateOptionsDTO;
import org.graft.update.dto.UpdatePlanDTO;
import org.graft.update.dto.UpdateReportDTO;
import org.graft.update.dto.UpdateRequestDTO;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.ExamFactory;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.nat.internal.NativeTestContainerFactory;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;
import org.osgi.framework.SynchronousBundleListener;

/** Test 6 and the dry run: state that the default mapping would drop is refused before anything changes. */
@RunWith(PaxExam.class)
@ExamFactory(NativeTestContainerFactory.class)
@ExamReactorStrategy(PerMethod.class)
public class StateRefusalIT extends GraftTestSupport {

    @Test
    public void updateThatWouldDropAStateFieldIsRefusedNamingIt() {
        CounterService counter = service(CounterService.class);
        counter.increment("a");
        UpdateReportDTO report = updateManager.update(fixtureRequest(COUNTER, "counter-v2-drops-field"));
        assertEquals(report.message, UpdateReportDTO.REFUSED, report.outcome);
        assertEquals("plan", report.failedStep);
        assertTrue(report.message, report.message.contains("state field 'operations'"));
        assertTrue(report.message, report.message.contains("would drop it"));
        assertTrue("each class named with its version: " + report.message,
                report.message.matches("(?s).* 1\\.0\\.0 has no counterpart in \\S+ 2\\.0\\.0\\.dropsfield .*"));
        assertEquals("the refusal came before the new version ran", 0,
                report.steps.stream().filter(step -> step.name.equals("start")).count());
        assertEquals("1", counter.version());
        assertEquals(1L, counter.get("a"));
        assertEquals(1L, counter.operations());
        assertEquals(1, bundlesNamed(COUNTER).size());
    }

    @Test
    public void dryRunListsEachEntryAndTheRefusal() {
        UpdatePlanDTO plan = updateManager.plan(fixtureRequest(COUNTER, "counter-v2-drops-field"));
        assertEquals(1, plan.refusals.size());
        assertTrue(plan.refusals.get(0), plan.refusals.get(0).contains("'operations'"));
        ServicePlanDTO service = plan.services.get(0);
        assertEquals(COUNTER, service.identity);
        assertEquals("HANDED_OVER", entry(service, "counts").action);
        assertEquals("REFUSED", entry(service, "operations").action);
        assertEquals("the dry run installs nothing for good", 1, bundlesNamed(COUNTER).size());
    }

    @Test
    public void dryRunTellsNoOtherBundleThatItInstalledAnything() {
        List<String> seen = new CopyOnWriteArrayList<>();
        // synchronous: delivered during installBundle and uninstall, before plan() returns
        SynchronousBundleListener listener = event -> {
            if (COUNTER.equals(event.getBundle().getSymbolicName())) {
                seen.add(event.getType() + " " + event.getBundle().getBundleId() + " " + event.getBundle().getLocation());
            }
        };
        context.addBundleListener(listener);
        UpdatePlanDTO plan;
        try {
            plan = updateManager.plan(request(COUNTER, "counter-v2"));
        } finally {
            context.removeBundleListener(listener);
        }
        long installed = plan.bundles.get(0).toBundleId;
        assertTrue("the plan names the bundle the dry run installed to read the new version: " + installed, installed > 0L);
        assertEquals("no bundle event of the dry run's bundle reached another bundle", List.of(), seen);
        assertEquals("it is gone again", null, context.getBundle(installed));
        assertEquals(1, bundlesNamed(COUNTER).size());
    }

    @Test
    public void anEntryATransformerDoesNotWriteIsCarriedByTheDefaultMappingNotReset() {
        CounterService counter = service(CounterService.class);
        counter.increment("a");
        counter.increment("a");
        long operations = counter.operations();
        UpdatePlanDTO plan = updateManager.plan(fixtureRequest(COUNTER, "counter-v2-partial-transformer"));
        StateEntryDTO planned = plan.services.get(0).state.stream().filter(entry -> entry.name.equals("operations")).findFirst()
                .orElseThrow();
        assertEquals("the dry run says what the transformer really wrote: " + planned.rehearsalDetail, "CARRIED", planned.rehearsal);
        assertTrue(planned.rehearsalDetail, planned.rehearsalDetail.contains("not written by the transformer: carried by the default mapping"));
        UpdateReportDTO report = updateManager.update(fixtureRequest(COUNTER, "counter-v2-partial-transformer"));
        assertSucceeded(report);
        StepDTO transfer = report.steps.stream().filter(step -> step.name.equals("transfer")).findFirst().orElseThrow();
        assertTrue("the transfer step names the entry the transformer did not write: " + transfer.detail,
                transfer.detail != null && transfer.detail.contains("did not write [operations]: the default mapping carried them"));
        assertEquals("the written entry came over", 2L, counter.get("a"));
        assertEquals("the unwritten one came over too, by the default mapping", operations, counter.operations());
    }

    @Test
    public void dryRunListsEachRefusalOnce() {
        UpdateRequestDTO request = fixtureRequest(COUNTER, "counter-v2-drops-field");
        request.options.strategy = UpdateOptionsDTO.COEXIST;
        UpdatePlanDTO plan = updateManager.plan(request);
        assertEquals("the dropped field and the stateful coexist, each once: " + plan.refusals, 2, plan.refusals.size());
        assertTrue(plan.refusals.get(0), plan.refusals.get(0).contains("'operations'"));
        assertTrue(plan.refusals.get(1), plan.refusals.get(1).contains("coexist strategy is for stateless services"));
    }

    @Test
    public void dryRunShowsTheTransformerAndChangesNothing() {
        UpdatePlanDTO plan = updateManager.plan(request(COUNTER, "counter-v2"));
        assertTrue(plan.refusals.toString(), plan.refusals.isEmpty());
        ServicePlanDTO service = plan.services.get(0);
        assertEquals("org.graft.sample.counter.internal.CountsToTallies (upgrade)", service.transformer);
        assertEquals("TRANSFORMED", entry(service, "counts").action);
        assertEquals("TRANSFORMED", entry(service, "tallies").action);
        assertEquals("1.0.0", service.fromVersion);
        assertEquals("2.0.0", service.toVersion);
        assertEquals("1", service(CounterService.class).version());
        assertEquals(1, bundlesNamed(COUNTER).size());
        assertTrue("a dry run is not history", updateManager.history().isEmpty());
    }

    @Test
    public void dryRunRehearsesTheTransformerOnTheLiveStateAndEstimatesTheTransfer() {
        CounterService counter = service(CounterService.class);
        for (int i = 0; i < 50; i++) {
            counter.increment("key-" + (i % 10));
        }
        UpdatePlanDTO plan = updateManager.plan(request(COUNTER, "counter-v2"));
        assertTrue(plan.refusals.toString(), plan.refusals.isEmpty());
        ServicePlanDTO service = plan.services.get(0);
        StateEntryDTO tallies = entry(service, "tallies");
        assertEquals("CARRIED", tallies.rehearsal);
        assertEquals("transformed (10 elements)", tallies.rehearsalDetail);
        assertEquals("CARRIED", entry(service, "operations").rehearsal);
        assertTrue("an estimate: " + service.estimatedTransferMicros, service.estimatedTransferMicros >= 0L);
        assertEquals("1", counter.version());
        assertEquals(5L, counter.get("key-3"));
        assertEquals(50L, counter.operations());
        assertEquals(1, bundlesNamed(COUNTER).size());
    }

    @Test
    public void dryRunFindsATransformerThatThrowsAndChangesNothing() {
        CounterService counter = service(CounterService.class);
        counter.increment("a");
        UpdatePlanDTO plan = updateManager.plan(fixtureRequest(COUNTER, "counter-v2-throwing-transformer"));
        assertEquals(plan.refusals.toString(), 1, plan.refusals.size());
        assertTrue(plan.refusals.get(0), plan.refusals.get(0).contains("sample transformer fails on purpose")
                && plan.refusals.get(0).startsWith(COUNTER + ": transformer org.graft.itest.fixtures.counter.throwing.ThrowingTransformer"));
        assertEquals("REFUSED", entry(plan.services.get(0), "tallies").rehearsal);
        assertEquals("1", counter.version());
        assertEquals(1L, counter.get("a"));
        assertEquals(1, bundlesNamed(COUNTER).size());
    }

    /**
     * A transfer estimated past the hold limit is refused at the rehearsal: 100,000 counts take far
     * longer than 1 ms to transform on any machine (the estimate is the rehearsal's own conversion time).
     */
    @Test
    public void anUpdateEstimatedToHoldCallsPastItsHoldLimitFailsBeforeAnyCallIsHeld() {
        CounterService counter = service(CounterService.class);
        for (int i = 0; i < 100_000; i++) {
            counter.increment("key-" + i);
        }
        UpdateRequestDTO request = request(COUNTER, "counter-v2");
        request.options.holdLimitMillis = 1;
        UpdateReportDTO report = updateManager.update(request);
        assertEquals(report.message, UpdateReportDTO.FAILED, report.outcome);
        assertEquals(report.message, "rehearse", report.failedStep);
        assertTrue(report.message, report.message.contains("more than the hold limit of 1 ms (--hold-limit); calls were never held"));
        assertEquals(0L, report.timings.heldMicros);
        assertTrue("the estimate is reported: " + report.timings.estimatedTransferMicros, report.timings.estimatedTransferMicros > 1_000L);
        assertEquals("1", counter.version());
        assertEquals(100_000L, counter.operations());
        assertEquals(1, bundlesNamed(COUNTER).size());

        request.options.holdLimitMillis = 0;
        UpdateReportDTO unbounded = updateManager.update(request);
        assertSucceeded(unbounded);
        StepDTO rehearse = unbounded.steps.stream().filter(step -> step.name.equals("rehearse")).findFirst().orElseThrow();
        assertTrue(rehearse.detail, rehearse.detail.startsWith("estimated transfer "));
        assertEquals(1L, counter.get("key-99999"));
    }

    private static StateEntryDTO entry(ServicePlanDTO service, String name) {
        return service.state.stream().filter(entry -> entry.name.equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no state entry " + name + " in " + service.state));
    }
}
