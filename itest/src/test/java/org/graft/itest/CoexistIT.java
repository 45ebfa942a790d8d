package org.graft.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.graft.itest.fixtures.api.SlowGreeting;
import org.graft.update.dto.UpdateOptionsDTO;
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

/** Test 10: the coexist strategy, for stateless services. */
@RunWith(PaxExam.class)
@ExamFactory(NativeTestContainerFactory.class)
@ExamReactorStrategy(PerMethod.class)
public class CoexistIT extends GraftTestSupport {

    @Override
    protected Option[] testClassOptions() {
        return slowServices();
    }

    @Test
    public void newCallsReachVersion2WhileASlowCallFinishesOnVersion1() throws Exception {
        SlowGreeting greeting = service(SlowGreeting.class);
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<String> slow = pool.submit(() -> greeting.greetWhenReleased("slow", entered, release));
            assertTrue(entered.await(WAIT_SECONDS, TimeUnit.SECONDS));
            UpdateRequestDTO request = fixtureRequest(SLOW_GREETING, "slow-greeting-v2");
            request.options.strategy = UpdateOptionsDTO.COEXIST;
            request.options.quiescenceTimeoutMillis = TimeUnit.SECONDS.toMillis(WAIT_SECONDS);
            Future<UpdateReportDTO> update = pool.submit(() -> updateManager.update(request));

            await("a new call reaches version 2", () -> "2".equals(greeting.version()));
            assertFalse("the slow call still runs on version 1", slow.isDone());
            assertEquals("Hi, x!", greeting.greet("x"));

            release.countDown();
            assertEquals("the slow call finished on version 1", "Hello, slow", slow.get(WAIT_SECONDS, TimeUnit.SECONDS));
            UpdateReportDTO report = update.get(WAIT_SECONDS, TimeUnit.SECONDS);
            assertSucceeded(report);
            assertEquals(1, bundlesNamed(SLOW_GREETING).size());
            assertEquals("2", greeting.version());
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
    }

    @Test
    public void aSlowCallThatOutlivesTheTimeoutFinishesOnVersion1BeforeItIsRetired() throws Exception {
        SlowGreeting greeting = service(SlowGreeting.class);
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<String> slow = pool.submit(() -> greeting.greetWhenReleased("slow", entered, release));
            assertTrue(entered.await(WAIT_SECONDS, TimeUnit.SECONDS));
            UpdateRequestDTO request = fixtureRequest(SLOW_GREETING, "slow-greeting-v2");
            request.options.strategy = UpdateOptionsDTO.COEXIST;
            request.options.quiescenceTimeoutMillis = 200;
            UpdateReportDTO report = updateManager.update(request);
            assertSucceeded(report);
            String retire = report.steps.get(report.steps.size() - 1).detail;
            assertTrue(retire, retire.contains("it is retired once they end"));
            assertEquals("2", greeting.version());
            assertEquals("version 1 stays while its call runs", 2, bundlesNamed(SLOW_GREETING).size());

            release.countDown();
            assertEquals("Hello, slow", slow.get(WAIT_SECONDS, TimeUnit.SECONDS));
            await("version 1 is retired once its last call ended", () -> bundlesNamed(SLOW_GREETING).size() == 1);
            assertEquals("2.0.0", bundlesNamed(SLOW_GREETING).get(0).getVersion().toString());
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
    }

    @Test
    public void coexistIsRefusedForAStatefulService() {
        UpdateRequestDTO request = request(COUNTER, "counter-v2");
        request.options.strategy = UpdateOptionsDTO.COEXIST;
        UpdateReportDTO report = updateManager.update(request);
        assertEquals(report.message, UpdateReportDTO.REFUSED, report.outcome);
        assertTrue(report.message, report.message.contains("coexist strategy is for stateless services"));
        assertEquals(1, bundlesNamed(COUNTER).size());
    }
}
