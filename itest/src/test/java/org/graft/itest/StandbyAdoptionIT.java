package org.graft.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;

import org.graft.sample.api.CounterConsumer;
import org.graft.sample.api.CounterService;
import org.graft.update.dto.UpdateOptionsDTO;
import org.graft.update.dto.UpdateReportDTO;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.ExamFactory;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.nat.internal.NativeTestContainerFactory;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;
import org.osgi.framework.Bundle;

/**
 * A newer version of a managed bundle installed and started by someone else beside the version that
 * serves (what FileInstall does with a jar dropped into Karaf's {@code deploy/}): Graft applies it as an
 * update of the running version, that very bundle becoming the one that serves; if the update fails,
 * the running version serves on and the newer bundle is left as it was found.
 */
@RunWith(PaxExam.class)
@ExamFactory(NativeTestContainerFactory.class)
@ExamReactorStrategy(PerMethod.class)
public class StandbyAdoptionIT extends GraftTestSupport {

    @Test
    public void aNewerVersionStartedBesideIsAppliedAsAnUpdateUnderNonstopCallers() throws Exception {
        CounterConsumer consumer = service(CounterConsumer.class);
        CounterService counter = service(CounterService.class);
        int historyBefore = updateManager.history().size();
        Callers callers = new Callers(2, "caller", index -> consumer.increment("key-" + index)).start();
        Bundle dropped;
        try {
            await("the callers call", () -> callers.totalSuccesses() > 1000);
            dropped = context.installBundle(sampleUrl("counter-v2"));
            dropped.start();
            await("the update is done", () -> updateManager.history().size() > historyBefore);
            long after = callers.totalSuccesses();
            await("calls are made on version 2", () -> callers.totalSuccesses() > after + 1000);
        } finally {
            callers.close();
        }
        UpdateReportDTO report = updateManager.history().get(historyBefore);
        assertSucceeded(report);
        assertTrue("failed calls: " + callers.failures(), callers.failures().isEmpty());
        for (int i = 0; i < 2; i++) {
            assertEquals(callers.successes(i), counter.get("key-" + i));
        }
        assertEquals("2", counter.version());
        assertEquals("the bundle installed beside serves, and it alone is left", List.of(dropped), bundlesNamed(COUNTER));
        assertEquals(dropped.getBundleId(), report.plan.bundles.get(0).toBundleId);
        assertEquals("the report says through which channel", UpdateOptionsDTO.CHANNEL_DEPLOY, report.options.channel);
        assertEquals(1, consumer.activations());
    }

    @Test
    public void aNewerVersionThatFailsLeavesTheRunningOneServingAndItselfAsFound() throws Exception {
        CounterService counter = service(CounterService.class);
        long kept = counter.increment("kept");
        Bundle running = bundlesNamed(COUNTER).get(0);
        int historyBefore = updateManager.history().size();
        Bundle dropped = context.installBundle(Fixtures.url("counter-v2-failing-activation"));
        dropped.start();
        await("the update is done", () -> updateManager.history().size() > historyBefore);
        UpdateReportDTO report = updateManager.history().get(historyBefore);
        assertEquals(report.message, UpdateReportDTO.FAILED, report.outcome);
        assertTrue(report.message, report.message.contains("Nothing changed"));
        assertEquals("1", counter.version());
        assertEquals(kept + 1, counter.increment("kept"));
        assertEquals("the running version and the one installed beside, as it was found", List.of(running, dropped),
                bundlesNamed(COUNTER));
        assertEquals(Bundle.ACTIVE, dropped.getState());
    }
}
