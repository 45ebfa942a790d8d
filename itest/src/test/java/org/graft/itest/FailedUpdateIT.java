package org.graft.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import org.graft.sample.api.CounterConsumer;
import org.graft.sample.api.CounterService;
import org.graft.update.dto.BundleUpdateDTO;
import org.graft.update.dto.UpdateReportDTO;
import org.graft.update.dto.UpdateRequestDTO;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.ExamFactory;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.nat.internal.NativeTestContainerFactory;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;
import org.osgi.framework.Bundle;
import org.osgi.framework.Version;

/**
 * Test 5 and bad input: every failed or refused update leaves version 1 serving, its state and its
 * consumers untouched, while callers keep calling, and the report names the cause.
 */
@RunWith(PaxExam.class)
@ExamFactory(NativeTestContainerFactory.class)
@ExamReactorStrategy(PerMethod.class)
public class FailedUpdateIT extends GraftTestSupport {
    private CounterService counter;
    private CounterConsumer consumer;

    @Before
    public void someState() {
        counter = service(CounterService.class);
        consumer = service(CounterConsumer.class);
        for (int i = 0; i < 3; i++) {
            counter.increment("kept");
        }
    }

    @Test
    public void throwingTransformerIsFoundByTheRehearsalBeforeAnyCallIsHeld() throws Exception {
        UpdateReportDTO report = underLoad(fixtureRequest(COUNTER, "counter-v2-throwing-transformer"));
        assertOldVersionServesOn(report, UpdateReportDTO.FAILED, "rehearse", "sample transformer fails on purpose",
                "org.graft.itest.fixtures.counter.throwing.ThrowingTransformer (upgrade)", "calls were never held");
        assertEquals("calls were never held", 0L, report.timings.heldMicros);
        assertTrue(report.steps.stream().noneMatch(step -> step.name.equals("hold")));
    }

    /** Without the rehearsal, the transformer fails while calls are held, and the undo releases them to version 1. */
    @Test
    public void throwingTransformerLeavesVersion1ServingWhenItFailsWhileCallsAreHeld() throws Exception {
        UpdateReportDTO report;
        try (CapturedLog log = CapturedLog.of("org.graft.update")) {
            UpdateRequestDTO request = fixtureRequest(COUNTER, "counter-v2-throwing-transformer");
            request.options.rehearse = false;
            report = underLoad(request);
            List<LogRecord> logged = log.matching(Level.SEVERE, "Graft update " + report.id + " FAILED");
            assertEquals("the failed update is logged once, as an error: " + logged, 1, logged.size());
            Throwable cause = logged.get(0).getThrown();
            assertTrue("the log keeps the cause, with its stack: " + cause, cause != null && cause.getStackTrace().length > 0
                    && String.valueOf(causes(cause)).contains("sample transformer fails on purpose"));
        }
        assertOldVersionServesOn(report, UpdateReportDTO.FAILED, "transfer", "sample transformer fails on purpose",
                "org.graft.itest.fixtures.counter.throwing.ThrowingTransformer (upgrade)");
    }

    private static List<String> causes(Throwable failure) {
        List<String> messages = new ArrayList<>();
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            messages.add(String.valueOf(cause.getMessage()));
        }
        return messages;
    }

    @Test
    public void hangingTransformerIsAbandonedByTheRehearsalAtItsTimeoutBeforeAnyCallIsHeld() throws Exception {
        UpdateRequestDTO request = fixtureRequest(COUNTER, "counter-v2-hanging-transformer");
        request.options.transferTimeoutMillis = 500;
        UpdateReportDTO report = underLoad(request);
        assertOldVersionServesOn(report, UpdateReportDTO.FAILED, "rehearse", "did not finish within 500 ms", "calls were never held");
        assertEquals("calls were never held", 0L, report.timings.heldMicros);
    }

    @Test
    public void hangingTransformerIsAbandonedAtItsTimeout() throws Exception {
        UpdateRequestDTO request = fixtureRequest(COUNTER, "counter-v2-hanging-transformer");
        request.options.transferTimeoutMillis = 500;
        request.options.rehearse = false;
        UpdateReportDTO report = underLoad(request);
        assertOldVersionServesOn(report, UpdateReportDTO.FAILED, "transfer", "did not finish within 500 ms");
        assertTrue("calls were held until the abort released them, for the whole timeout: " + report.timings.heldMicros + " µs",
                report.timings.heldMicros >= 500_000L);
    }

    /**
     * Without the record written before the install, a crash during the update could not be recovered:
     * the update is refused instead. (Made unwritable by a directory in the place of the record's
     * temporary file: file permissions do not stop root, which CI may run as.)
     */
    @Test
    public void anUpdateWhoseJournalCannotBeWrittenIsRefusedBeforeItInstallsAnything() throws Exception {
        java.nio.file.Path journal;
        try (java.util.stream.Stream<java.nio.file.Path> files = Files.walk(java.nio.file.Paths.get(context.getProperty("org.osgi.framework.storage")))) {
            journal = files.filter(p -> p.getFileName().toString().equals("journal") && Files.isDirectory(p)).findFirst().orElseThrow();
        }
        java.nio.file.Path blocker = Files.createDirectories(journal.resolve("update-000001.json.tmp"));
        UpdateReportDTO report = underLoad(request(COUNTER, "counter-v2"));
        assertOldVersionServesOn(report, UpdateReportDTO.REFUSED, "install", "the journal cannot be written",
                "an update that a crash interrupted could not be recovered, so none is started");
        Files.delete(blocker);
        assertSucceeded(updateManager.update(request(COUNTER, "counter-v2")));
    }

    /** The hold limit bounds the hold itself, not only the rehearsal's estimate: callers wait no longer than it. */
    @Test
    public void aTransformerSlowerThanTheHoldLimitIsAbortedAtTheLimitNotAtTheTransferTimeout() throws Exception {
        UpdateRequestDTO request = fixtureRequest(COUNTER, "counter-v2-hanging-transformer");
        request.options.transferTimeoutMillis = 30_000;
        request.options.holdLimitMillis = 300;
        // as if it had passed its rehearsal and hung only on the real state
        request.options.rehearse = false;
        UpdateReportDTO report = underLoad(request);
        assertOldVersionServesOn(report, UpdateReportDTO.FAILED, "transfer", "hold limit: calls had been held for",
                "(--hold-limit 300 ms), in transfer", "the held calls released to the old version");
        assertTrue("calls were held about the limit, not the transfer timeout: " + report.timings.heldMicros + " µs",
                report.timings.heldMicros >= 300_000L && report.timings.heldMicros < 30_000_000L);
    }

    @Test
    public void failingActivationLeavesVersion1Serving() throws Exception {
        UpdateReportDTO report = underLoad(fixtureRequest(COUNTER, "counter-v2-failing-activation"));
        assertOldVersionServesOn(report, UpdateReportDTO.FAILED, "activate", "did not activate",
                "sample activation fails on purpose");
    }

    @Test
    public void unresolvableBundleIsRefusedNamingTheMissingPackage() throws Exception {
        UpdateReportDTO report = underLoad(fixtureRequest(COUNTER, "counter-v2-unresolvable"));
        assertOldVersionServesOn(report, UpdateReportDTO.REFUSED, "plan", "does not resolve", "org.graft.sample.missing");
    }

    @Test
    public void versionWithItsOwnCopyOfTheServiceInterfaceIsRefused() throws Exception {
        UpdateReportDTO report = underLoad(fixtureRequest(COUNTER, "counter-v2-private-api"));
        assertOldVersionServesOn(report, UpdateReportDTO.REFUSED, "plan", "sees another org.graft.sample.api.CounterService",
                "must come from a bundle the update does not replace");
        assertFalse("a private copy is not an export: " + report.message, report.message.contains("without importing it"));
    }

    @Test
    public void corruptJarIsRefusedNamingTheFile() throws Exception {
        File corrupt = File.createTempFile("corrupt", ".jar");
        Files.write(corrupt.toPath(), "this is not a zip file".getBytes("UTF-8"));
        UpdateRequestDTO request = new UpdateRequestDTO();
        request.bundles.add(BundleUpdateDTO.of(COUNTER, corrupt.toURI().toString()));
        UpdateReportDTO report = underLoad(request);
        assertOldVersionServesOn(report, UpdateReportDTO.REFUSED, "resolve", corrupt.getName(), "not a jar");
    }

    /** No URL but a file's or a Maven artifact's is read: an update request is no way to fetch others. */
    @Test
    public void locationsOtherThanFileAndMavenAreRefusedUnread() throws Exception {
        UpdateRequestDTO request = new UpdateRequestDTO();
        request.bundles.add(BundleUpdateDTO.of(COUNTER, "http://127.0.0.1:9/counter-v2.jar"));
        assertOldVersionServesOn(underLoad(request), UpdateReportDTO.REFUSED, "resolve", "'http://127.0.0.1:9/counter-v2.jar' is not read",
                "updates read only file: and mvn: locations", "update.location.schemes");
        for (String location : new String[] {"ftp://127.0.0.1:9/counter-v2.jar", "jar:" + sampleUrl("counter-v2") + "!/"}) {
            UpdateRequestDTO other = new UpdateRequestDTO();
            other.bundles.add(BundleUpdateDTO.of(COUNTER, location));
            UpdateReportDTO report = updateManager.update(other);
            assertEquals(report.message, UpdateReportDTO.REFUSED, report.outcome);
            assertTrue(report.message, report.message.contains("'" + location + "' is not read"));
            assertEquals("1", counter.version());
        }
    }

    @Test
    public void jarOfAnotherBundleIsRefused() throws Exception {
        UpdateReportDTO report = updateManager.update(request(COUNTER, "greeting-v2"));
        assertOldVersionServesOn(report, UpdateReportDTO.REFUSED, "resolve", "is bundle org.graft.sample.greeting 2.0.0",
                "not a version of org.graft.sample.counter");
    }

    @Test
    public void unknownBundleIsRefusedNamingTheManagedOnes() throws Exception {
        UpdateReportDTO report = updateManager.update(request("no.such.bundle", "counter-v2"));
        assertOldVersionServesOn(report, UpdateReportDTO.REFUSED, "resolve", "no.such.bundle does not match any installed bundle",
                "org.graft.sample.counter");
    }

    @Test
    public void unmanagedBundleIsRefused() throws Exception {
        UpdateReportDTO report = updateManager.update(request("org.graft.sample.consumer", "consumer"));
        assertOldVersionServesOn(report, UpdateReportDTO.REFUSED, "resolve", "not managed by Graft");
    }

    /** Runs the update while four threads keep incrementing; none of their calls may fail or be lost. */
    private UpdateReportDTO underLoad(UpdateRequestDTO request) throws Exception {
        UpdateReportDTO report;
        Callers callers = new Callers(4, "load", index -> counter.increment("load-" + index)).start();
        try {
            report = updateManager.update(request);
            long after = callers.totalSuccesses();
            await("callers go on after the update", () -> callers.totalSuccesses() > after + 100);
        } finally {
            callers.close();
        }
        List<Throwable> failures = callers.failures();
        assertTrue("calls failed: " + failures, failures.isEmpty());
        for (int i = 0; i < 4; i++) {
            assertEquals(callers.successes(i), counter.get("load-" + i));
        }
        return report;
    }

    private void assertOldVersionServesOn(UpdateReportDTO report, String outcome, String step, String... causes) {
        assertEquals(report.message, outcome, report.outcome);
        assertEquals(report.message, step, report.failedStep);
        for (String cause : causes) {
            assertTrue("'" + cause + "' not in: " + report.message, report.message.contains(cause));
        }
        assertTrue(report.message, report.message.contains("Nothing changed"));
        assertEquals("1", counter.version());
        assertEquals("state untouched", 3L, counter.get("kept"));
        List<Bundle> counters = bundlesNamed(COUNTER);
        assertEquals("the new version was removed: " + counters, 1, counters.size());
        assertEquals(Version.parseVersion("1.0.0"), counters.get(0).getVersion());
        assertEquals(Bundle.ACTIVE, counters.get(0).getState());
        assertEquals("the consumer was never restarted", 1, consumer.activations());
        assertEquals(4L, counter.increment("kept"));
    }
}
