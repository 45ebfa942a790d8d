package org.graft.demo.load.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.After;
import org.junit.Test;

public class CounterLoadTest {
    private static final long WAIT_SECONDS = 10;

    private final FakeCounter counter = new FakeCounter();
    private CounterLoad load;

    @After
    public void endTheLoad() throws InterruptedException {
        if (load != null && load.isRunning()) {
            counter.release.countDown();
            try {
                load.stop(WAIT_SECONDS, TimeUnit.SECONDS);
            } finally {
                load.interruptRemaining();
            }
        }
    }

    @Test
    public void eachKeyGainsExactlyItsThreadsCallsAndStopEndsEveryThread() throws Exception {
        load = new CounterLoad(counter, 4, "k-");
        CountDownLatch eachMade1000Calls = counter.whenEachReaches(4, 1_000);
        load.start();
        assertTrue("each thread made 1000 calls", eachMade1000Calls.await(WAIT_SECONDS, TimeUnit.SECONDS));

        load.stop(WAIT_SECONDS, TimeUnit.SECONDS);

        assertFalse(load.isRunning());
        LoadReport report = load.report();
        assertFalse(report.running);
        assertEquals(4, report.threads.size());
        long total = 0;
        for (int i = 0; i < 4; i++) {
            LoadReport.ThreadReport thread = report.threads.get(i);
            assertEquals("graft-demo-load-" + i, thread.thread);
            assertEquals("k-" + i, thread.key);
            assertTrue(thread.key + " made " + thread.calls + " calls", thread.calls >= 1_000);
            assertEquals(thread.key, thread.calls, thread.counterNow);
            assertEquals(0L, thread.counterAtStart);
            assertEquals(0L, thread.failed);
            assertTrue(thread.longestNanos > 0);
            assertTrue(thread.longestNanos <= report.longestNanos);
            assertTrue(thread.kept());
            total += thread.calls;
        }
        assertEquals(total, report.calls);
        assertEquals(total, counter.operations());
        assertEquals(0L, report.failed);
        assertTrue(report.firstFailures.isEmpty());
        assertEquals("no failure, no failing window", 0L, report.firstFailureAtMillis);
        assertEquals(0L, report.lastFailureAtMillis);
        assertTrue(report.allKept());
        assertEquals("fake", report.counterVersion);
        assertTrue(report.elapsedNanos > 0);
        assertEquals("a stopped load makes no more calls", total, load.report().calls);
        assertEquals("its elapsed time is frozen", report.elapsedNanos, load.report().elapsedNanos);
    }

    @Test
    public void failuresAreCountedAndTheFirstOnesKeptWhileTheLoadGoesOn() throws Exception {
        counter.failEvery(3);
        load = new CounterLoad(counter, 3, "f-");
        long before = System.currentTimeMillis();
        load.start();
        assertTrue("50 calls were refused", counter.awaitRefusals());
        load.stop(WAIT_SECONDS, TimeUnit.SECONDS);
        long after = System.currentTimeMillis();

        LoadReport report = load.report();
        assertTrue("the failing window lies in the run: " + report.firstFailureAtMillis + ".." + report.lastFailureAtMillis,
                before <= report.firstFailureAtMillis && report.firstFailureAtMillis <= report.lastFailureAtMillis
                        && report.lastFailureAtMillis <= after);
        assertEquals(counter.refused(), report.failed);
        assertEquals(counter.attempts(), report.calls + report.failed);
        assertEquals(CounterLoad.KEPT_FAILURES, report.firstFailures.size());
        for (String failure : report.firstFailures) {
            assertTrue(failure, failure.matches("graft-demo-load-\\d call \\d+: java.lang.IllegalStateException: refused call \\d+"));
        }
        assertTrue("the threads went on after failing", report.calls > report.failed);
        // A refused call did not increment: each key still gained exactly the calls that succeeded.
        assertTrue(report.allKept());
        long failedPerThread = 0;
        for (LoadReport.ThreadReport thread : report.threads) {
            failedPerThread += thread.failed;
        }
        assertEquals(report.failed, failedPerThread);
    }

    @Test
    public void aLoadStartsOnlyOnce() throws Exception {
        load = new CounterLoad(counter, 1, "once-");
        load.start();
        try {
            load.start();
            fail("started twice");
        } catch (IllegalStateException expected) {
            assertTrue(expected.getMessage(), expected.getMessage().contains("started already"));
        }
        load.stop(WAIT_SECONDS, TimeUnit.SECONDS);
        assertFalse(load.isRunning());
    }

    @Test
    public void aThreadStuckInACallIsNamedAndAStopAfterItsCallReturnsEndsIt() throws Exception {
        counter.blockAt("s-1", 10);
        load = new CounterLoad(counter, 2, "s-");
        load.start();
        assertTrue("s-1 is blocked in its 11th call", counter.blocked.await(WAIT_SECONDS, TimeUnit.SECONDS));

        try {
            load.stop(100, TimeUnit.MILLISECONDS);
            fail("a thread blocked in a call stopped");
        } catch (IllegalStateException expected) {
            assertTrue(expected.getMessage(), expected.getMessage().startsWith("1 of 2 load threads did not stop within 100 ms: graft-demo-load-1 ("));
            assertFalse(expected.getMessage(), expected.getMessage().contains("graft-demo-load-0"));
        }
        assertTrue(load.isRunning());
        assertTrue("a report while a thread is stuck says it runs", load.report().running);
        assertEquals("-", LoadFormat.kept(load.report(), load.report().threads.get(1)));

        counter.release.countDown();
        load.stop(WAIT_SECONDS, TimeUnit.SECONDS);
        assertFalse(load.isRunning());
        LoadReport report = load.report();
        assertEquals("the blocked call completed and counts", 11L, report.threads.get(1).calls);
        assertTrue(report.allKept());
        assertTrue("the blocked call is the longest", report.threads.get(1).longestNanos >= TimeUnit.MILLISECONDS.toNanos(100));
    }

    @Test
    public void countsAlreadyInTheCounterAreNotTakenForCalls() throws Exception {
        for (int i = 0; i < 5; i++) {
            counter.increment("p-0");
        }
        load = new CounterLoad(counter, 1, "p-");
        CountDownLatch made495Calls = counter.whenEachReaches(1, 500);
        load.start();
        assertTrue(made495Calls.await(WAIT_SECONDS, TimeUnit.SECONDS));
        load.stop(WAIT_SECONDS, TimeUnit.SECONDS);

        LoadReport.ThreadReport thread = load.report().threads.get(0);
        assertEquals(5L, thread.counterAtStart);
        assertEquals(thread.counterAtStart + thread.calls, thread.counterNow);
        assertEquals("yes", LoadFormat.kept(load.report(), thread));
        assertNotEquals(thread.calls, thread.counterNow);
    }

    @Test
    public void theReportReadsWhatAKeyLostOrGained() {
        LoadReport report = new LoadReport();
        LoadReport.ThreadReport thread = new LoadReport.ThreadReport();
        thread.calls = 10;
        thread.counterAtStart = 2;
        thread.counterNow = 15;
        report.threads.add(thread);
        assertEquals("no (+3)", LoadFormat.kept(report, thread));
        thread.counterNow = 9;
        assertEquals("no (-3)", LoadFormat.kept(report, thread));
        assertTrue(LoadFormat.summary(report), LoadFormat.summary(report).contains("SOME KEYS DID NOT GAIN EXACTLY THEIR CALLS"));
    }

    @Test
    public void theSummaryGivesTotalsTheLongestCallInMillisecondsAndTheRegistration() {
        LoadReport report = new LoadReport();
        report.elapsedNanos = 61_234_000_000L;
        report.calls = 9_876_543;
        report.failed = 2;
        report.longestNanos = 12_345_678;
        report.counterVersion = "2";
        report.serviceId = 57;
        report.serviceManaged = true;
        report.serviceModifiedEvents = 2;
        report.firstFailures.add("graft-demo-load-3 call 7: java.lang.IllegalStateException: x");
        assertEquals("12.346", LoadFormat.millis(12_345_678));
        assertEquals("Load stopped after 61.234 s: 9876543 calls, 2 failed, longest call 12.346 ms; counter version 2;"
                + " every key gained exactly its calls; service.id 57 (Graft proxy) stayed registered, 2 MODIFIED events",
                LoadFormat.summary(report));
        assertEquals("First failures (1 of 2):", LoadFormat.failures(report).get(0));
        assertEquals("  graft-demo-load-3 call 7: java.lang.IllegalStateException: x", LoadFormat.failures(report).get(1));
    }
}
