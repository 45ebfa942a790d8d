package org.graft.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.graft.itest.fixtures.api.SlowCounter;
import org.graft.update.dto.UpdateReportDTO;

/** A call that re-enters its own service during an update: the test body, run behind the direct link and the counted gate. */
public abstract class ReentrantCallSupport extends GraftTestSupport {
    /** A call that re-enters its service while the update waits for it in {@code waitingStep}: the update succeeds. */
    void assertAReentrantCallDoesNotDeadlockTheUpdate(String waitingStep) throws Exception {
        SlowCounter counter = service(SlowCounter.class);
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<Long> call = pool.submit(() -> counter.incrementTwiceThrough(counter, "nested", entered, release));
            assertTrue(entered.await(WAIT_SECONDS, TimeUnit.SECONDS));
            Future<UpdateReportDTO> update = pool.submit(() -> updateManager.update(fixtureRequest(SLOW_COUNTER, "slow-counter-v2")));
            // New calls are held now, and the update waits for our call, which is about to call the
            // held service again. Held like any other, it would wait for the update: a deadlock until
            // the quiescence timeout aborts the update.
            awaitStep(waitingStep);
            release.countDown();
            assertEquals(Long.valueOf(2L), call.get(WAIT_SECONDS, TimeUnit.SECONDS));
            UpdateReportDTO report = update.get(WAIT_SECONDS, TimeUnit.SECONDS);
            assertSucceeded(report);
            assertEquals("both increments carried into version 2", 2L, counter.get("nested"));
            assertEquals("2", counter.version());
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
    }
}
