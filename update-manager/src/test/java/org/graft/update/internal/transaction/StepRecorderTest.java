package org.graft.update.internal.transaction;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import org.graft.update.UpdateStep;
import org.graft.update.dto.StepDTO;
import org.graft.update.dto.UpdateReportDTO;
import org.graft.update.internal.journal.Journal;
import org.graft.update.internal.planning.Refusal;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** While calls are held, a step's end neither touches the disk nor calls a listener; failures name their step. */
public class StepRecorderTest {
    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    @Test
    public void nothingIsJournaledOrReportedWhileHeldAndAllOfItAfterwards() throws Exception {
        Path directory = folder.getRoot().toPath().resolve("journal");
        Journal journal = new Journal(directory);
        UpdateReportDTO report = new UpdateReportDTO();
        report.id = 7;
        List<String> heard = new ArrayList<>();
        StepRecorder steps = new StepRecorder(report, journal, (r, step) -> heard.add(step.name + " " + step.status));
        Path record = directory.resolve("update-000007.json");

        steps.run(UpdateStep.ACTIVATE, () -> null);
        steps.checkpoint();
        assertEquals(List.of("activate OK"), heard);
        assertTrue(Files.exists(record));
        Files.delete(record);

        steps.holding(true);
        steps.run(UpdateStep.HOLD, () -> null);
        steps.run(UpdateStep.DRAIN, () -> null);
        steps.checkpoint();
        assertFalse("no journal write while calls are held", Files.exists(record));
        assertEquals("no listener call while calls are held", List.of("activate OK"), heard);

        steps.holding(false);
        assertEquals(List.of("activate OK", "hold OK", "drain OK"), heard);
        assertEquals("the checkpoint asked for while held is written at the release", List.of("activate", "hold", "drain"),
                names(journal.readAll().get(0).steps));
    }

    @Test
    public void aFailureOrARefusalNamesTheStepThatRanIt() throws Exception {
        UpdateReportDTO report = new UpdateReportDTO();
        StepRecorder steps = new StepRecorder(report, new Journal(folder.getRoot().toPath()), (r, step) -> {
        });
        try {
            steps.run(UpdateStep.DRAIN, () -> {
                throw StepFailure.failed("quiescence timeout", null);
            });
            fail("the step's failure is thrown");
        } catch (StepFailure failure) {
            assertEquals(UpdateStep.DRAIN, failure.step());
            assertFalse(failure.refusal());
        }
        try {
            steps.run(UpdateStep.PLAN, () -> {
                throw new Refusal(List.of("a", "b"));
            });
            fail("the step's refusal is thrown");
        } catch (StepFailure failure) {
            assertEquals(UpdateStep.PLAN, failure.step());
            assertTrue(failure.refusal());
            assertEquals("each reason once", List.of("a", "b"), failure.reasons());
        }
        assertEquals(List.of(StepDTO.FAILED, StepDTO.FAILED), report.steps.stream().map(step -> step.status).toList());
        assertEquals("a; b", report.steps.get(1).detail);
    }

    private static List<String> names(List<StepDTO> steps) throws IOException {
        List<String> names = new ArrayList<>();
        for (StepDTO step : steps) {
            names.add(step.name);
        }
        return names;
    }

    @Test
    public void aSnapshotWhileCallsAreHeldShowsTheRunningStepAndTheHeldTimeSoFar() throws Exception {
        UpdateReportDTO report = new UpdateReportDTO();
        report.steps = new CopyOnWriteArrayList<>();
        StepRecorder steps = new StepRecorder(report, new Journal(folder.getRoot().toPath()), (r, step) -> { });
        steps.run(UpdateStep.ACTIVATE, () -> null);
        assertFalse("no calls held yet", steps.snapshot().callsHeld);

        steps.holding(true);
        steps.run(UpdateStep.HOLD, () -> null);
        UpdateReportDTO during = steps.run(UpdateStep.TRANSFER, () -> {
            long start = System.nanoTime();
            while (System.nanoTime() - start < 2_000_000L) {
                Thread.onSpinWait(); // let 2 ms pass, so that the times so far are measurably above 0
            }
            return steps.snapshot();
        });
        assertTrue(during.callsHeld);
        StepDTO transfer = during.steps.get(2);
        assertEquals("transfer", transfer.name);
        assertEquals(StepDTO.RUNNING, transfer.status);
        assertTrue("the running step's time so far: " + transfer.durationMicros, transfer.durationMicros >= 2_000L);
        assertTrue("the held time so far covers the step: " + during.timings.heldMicros, during.timings.heldMicros >= transfer.durationMicros);
        assertEquals("the snapshot is a copy: the step ended since", StepDTO.OK, report.steps.get(2).status);
        assertEquals("and the report itself has no held time while held", 0L, report.timings.heldMicros);

        steps.holding(false);
        assertFalse("released", steps.snapshot().callsHeld);
    }

    /**
     * The journal fills up after the first record (here the temporary file of the next write is taken
     * by a directory): the update goes on, and the step during which a later record could not be
     * written says so, naming the journal.
     */
    @Test
    public void aLaterRecordThatCannotBeWrittenIsSaidInTheStepItWasFor() throws Exception {
        Path directory = folder.getRoot().toPath();
        UpdateReportDTO report = new ReportWriter(7L, UpdateReportDTO.UPDATE, null).dto();
        StepRecorder steps = new StepRecorder(report, new Journal(directory), (r, step) -> { });
        steps.checkpointBeforeChanges();
        List<Path> written;
        try (Stream<Path> files = Files.list(directory)) {
            written = files.toList();
        }
        assertEquals("the first record is written", 1, written.size());
        Files.createDirectory(directory.resolve(written.get(0).getFileName() + ".tmp"));

        steps.run(UpdateStep.INSTALL, () -> null);
        steps.checkpoint();

        StepDTO install = report.steps.get(0);
        assertEquals(StepDTO.OK, install.status);
        assertTrue("the step says the journal did not record it: " + install.detail,
                install.detail != null && install.detail.startsWith("the journal could not record this"));
        assertTrue("and names the journal: " + install.detail, install.detail.contains(directory.toString()));
    }

    /** Readers snapshot nonstop while the update thread adds steps: a list that is not copy-on-write fails here. */
    @Test
    public void snapshotsNeverFailWhileStepsAreAdded() throws Exception {
        UpdateReportDTO report = new ReportWriter(1L, UpdateReportDTO.UPDATE, null).dto();
        StepRecorder steps = new StepRecorder(report, new Journal(folder.getRoot().toPath()), (r, step) -> { });
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicBoolean done = new AtomicBoolean();
        AtomicLong snapshots = new AtomicLong();
        Thread reader = new Thread(() -> {
            try {
                while (!done.get()) {
                    UpdateReportDTO snapshot = steps.snapshot();
                    for (StepDTO step : snapshot.steps) {
                        assertTrue(step.name != null);
                    }
                    snapshot.plan.refusals.forEach(String::length);
                    snapshots.incrementAndGet();
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "snapshot-reader");
        reader.start();
        try {
            for (int i = 0; i < 20_000 && failure.get() == null; i++) {
                steps.run(UpdateStep.DRAIN, () -> null);
                report.plan.refusals.add("refusal " + i);
            }
        } finally {
            done.set(true);
            reader.join();
        }
        if (failure.get() != null) {
            throw new AssertionError("a snapshot failed after " + snapshots.get() + " snapshots", failure.get());
        }
        assertTrue("the reader ran", snapshots.get() > 0);
    }
}
