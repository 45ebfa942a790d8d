package org.graft.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerArray;

import org.graft.sample.api.CounterService;
import org.graft.sample.api.GreetingService;
import org.graft.update.dto.BundleUpdateDTO;
import org.graft.update.dto.UpdateReportDTO;
import org.graft.update.dto.UpdateRequestDTO;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.ExamFactory;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.nat.internal.NativeTestContainerFactory;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;

/** Test 2: two services updated in one transaction switch at one instant. */
@RunWith(PaxExam.class)
@ExamFactory(NativeTestContainerFactory.class)
@ExamReactorStrategy(PerMethod.class)
public class AtomicSwapIT extends GraftTestSupport {

    @Test
    public void noCallerSeesOneServiceNewAndThenTheOtherOld() throws Exception {
        CounterService counter = service(CounterService.class);
        GreetingService greeting = service(GreetingService.class);
        // The invariant, checked on every call: once a thread has seen version 2 of either service, it
        // never again sees version 1 of either. A swap that is not atomic across the two breaks it.
        AtomicIntegerArray newestSeen = new AtomicIntegerArray(8);
        UpdateReportDTO report;
        Callers callers = new Callers(8, "pair", index -> {
            int first = Integer.parseInt(index % 2 == 0 ? counter.version() : greeting.version());
            int second = Integer.parseInt(index % 2 == 0 ? greeting.version() : counter.version());
            counter.increment("pair-" + index);
            int oldest = Math.min(first, second);
            if (oldest < newestSeen.get(index)) {
                throw new AssertionError("thread " + index + " saw version " + newestSeen.get(index) + " and then version " + oldest);
            }
            newestSeen.set(index, Math.max(first, second));
        }).start();
        try {
            UpdateRequestDTO request = new UpdateRequestDTO();
            request.bundles.add(BundleUpdateDTO.of(COUNTER, sampleUrl("counter-v2")));
            request.bundles.add(BundleUpdateDTO.of(GREETING, sampleUrl("greeting-v2")));
            report = updateManager.update(request);
            assertSucceeded(report);
            long after = callers.totalSuccesses();
            await("callers call version 2", () -> callers.totalSuccesses() > after + 1000);
        } finally {
            callers.close();
        }
        List<Throwable> failures = callers.failures();
        assertTrue("invariant broken or calls failed: " + failures, failures.isEmpty());
        for (int i = 0; i < 8; i++) {
            assertEquals("every caller ended on version 2", 2, newestSeen.get(i));
            assertEquals(callers.successes(i), counter.get("pair-" + i));
        }
        assertEquals("2", counter.version());
        assertEquals("2", greeting.version());
        assertEquals(2, report.plan.services.size());
        System.out.println("two services at once: " + describe(report));
    }
}
