package org.graft.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.graft.itest.fixtures.api.SlowCounter;
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

/** Test 4: a service that never quiesces. */
@RunWith(PaxExam.class)
@ExamFactory(NativeTestContainerFactory.class)
@ExamReactorStrategy(PerMethod.class)
public class QuiescenceTimeoutIT extends GraftTestSupport {

    @Override
    protected Option[] testClassOptions() {
        return slowServices();
    }

    @Test
    public void aCallThatNeverReturnsAbortsTheUpdateAndVersion1ServesOnWithItsState() throws Exception {
        SlowCounter counter = service(SlowCounter.class);
        for (int i = 0; i < 3; i++) {
            counter.increment("a");
        }
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<Long> stuck = pool.submit(() -> counter.incrementWhenReleased("a", entered, release));
            assertTrue(entered.await(WAIT_SECONDS, TimeUnit.SECONDS));
            UpdateReportDTO report;
            Callers callers = new Callers(4, "held", index -> counter.increment("b-" + index)).start();
            try {
                UpdateRequestDTO request = fixtureRequest(SLOW_COUNTER, "slow-counter-v2");
                request.options.quiescenceTimeoutMillis = 500;
                report = updateManager.update(request);
                long after = callers.totalSuccesses();
                await("held callers resume", () -> callers.totalSuccesses() > after + 100);
            } finally {
                callers.close();
            }
            assertEquals(report.message, UpdateReportDTO.FAILED, report.outcome);
            assertEquals("drain", report.failedStep);
            assertTrue(report.message, report.message.contains("quiescence timeout"));
            assertTrue(report.message, report.message.contains("{" + SLOW_COUNTER + "=1}"));
            assertTrue(report.message, report.message.contains(SLOW_COUNTER + " 1.0.0 serves on with its state untouched"));
            assertTrue("held callers resumed on version 1 without failing: " + callers.failures(), callers.failures().isEmpty());
            for (int i = 0; i < 4; i++) {
                assertEquals(callers.successes(i), counter.get("b-" + i));
            }
            assertEquals("1", counter.version());
            assertEquals(1, bundlesNamed(SLOW_COUNTER).size());
            assertFalse("the stuck call is still running", stuck.isDone());
            assertEquals(4L, counter.increment("a"));
            release.countDown();
            assertEquals(Long.valueOf(5L), stuck.get(WAIT_SECONDS, TimeUnit.SECONDS));
            assertEquals(5L, counter.get("a"));
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
    }
}
