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

/** A service that never quiesces: the test body, run behind the direct link and behind the counted gate. */
public abstract class StuckCallSupport extends GraftTestSupport {
    static final String STUCK_THREAD = "stuck-caller";

    /**
     * A call that never returns: the update fails at {@code failedStep} with a message that contains
     * {@code runningCall}, and version 1 serves on with its state.
     */
    void assertACallThatNeverReturnsAbortsTheUpdate(String failedStep, String runningCall) throws Exception {
        SlowCounter counter = service(SlowCounter.class);
        for (int i = 0; i < 3; i++) {
            counter.increment("a");
        }
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newSingleThreadExecutor(call -> new Thread(call, STUCK_THREAD));
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
            assertEquals(failedStep, report.failedStep);
            assertTrue(report.message, report.message.contains("quiescence timeout"));
            assertTrue(report.message, report.message.contains(runningCall));
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
