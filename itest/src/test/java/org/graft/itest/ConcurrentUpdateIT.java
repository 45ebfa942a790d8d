package org.graft.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;

import org.graft.sample.api.CounterConsumer;
import org.graft.sample.api.CounterService;
import org.graft.update.dto.UpdateReportDTO;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.ExamFactory;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.nat.internal.NativeTestContainerFactory;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;

/** Test 1: v1 -> v2 -> v3 under eight nonstop callers. */
@RunWith(PaxExam.class)
@ExamFactory(NativeTestContainerFactory.class)
@ExamReactorStrategy(PerMethod.class)
public class ConcurrentUpdateIT extends GraftTestSupport {

    @Test
    public void eightCallersLoseNoCallAndNoIncrementAcrossTwoUpdates() throws Exception {
        CounterConsumer consumer = service(CounterConsumer.class);
        CounterService counter = service(CounterService.class);
        assertEquals("1", counter.version());
        assertEquals(1, consumer.activations());

        UpdateReportDTO toV2;
        UpdateReportDTO toV3;
        long afterV2;
        Callers callers = new Callers(8, "caller", index -> consumer.increment("key-" + index)).start();
        try {
            toV2 = update(COUNTER, "counter-v2");
            assertSucceeded(toV2);
            afterV2 = callers.totalSuccesses();
            toV3 = update(COUNTER, "counter-v3");
            assertSucceeded(toV3);
            long afterV3 = callers.totalSuccesses();
            // The callers kept calling between and after the updates: the updates really ran under load.
            await("calls are made on version 3", () -> callers.totalSuccesses() > afterV3 + 1000);
        } finally {
            callers.close();
        }
        List<Throwable> failures = callers.failures();
        assertTrue("failed calls: " + failures, failures.isEmpty());
        long total = 0;
        for (int i = 0; i < 8; i++) {
            assertEquals("increments of key-" + i, callers.successes(i), counter.get("key-" + i));
            total += callers.successes(i);
        }
        assertEquals(total, counter.operations());
        assertTrue(afterV2 > 0);
        assertEquals("3", counter.version());
        assertEquals("3", consumer.counterVersion());
        assertEquals("the consumer was never restarted", 1, consumer.activations());
        assertEquals(1, bundlesNamed(COUNTER).size());
        for (UpdateReportDTO report : List.of(toV2, toV3)) {
            long parts = report.timings.captureMicros + report.timings.convertMicros + report.timings.injectMicros;
            assertTrue("the transfer's parts fit in it: " + describe(report), parts <= report.timings.transferMicros);
            assertTrue("a transformer and a conversion take time: " + describe(report), report.timings.convertMicros > 0);
        }
        System.out.println("v1 -> v2 under load: " + describe(toV2));
        System.out.println("v2 -> v3 under load: " + describe(toV3));
        System.out.println("calls made: " + total + ", failed: " + failures.size());
    }
}
