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
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.ExamFactory;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.nat.internal.NativeTestContainerFactory;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;

/** Test 3: a call that re-enters its own service while the update drains does not deadlock it. */
@RunWith(PaxExam.class)
@ExamFactory(NativeTestContainerFactory.class)
@ExamReactorStrategy(PerMethod.class)
public class NestedCallsIT extends GraftTestSupport {

    @Override
    protected Option[] testClassOptions() {
        return slowServices();
    }

    @Test
    public void reentrantCallDuringTheDrainPassesTheHeldGate() throws Exception {
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
            awaitStep("drain");
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
