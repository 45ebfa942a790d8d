package org.graft.update.text;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;

import org.graft.update.dto.BundlePlanDTO;
import org.graft.update.dto.ServicePlanDTO;
import org.graft.update.dto.StateEntryDTO;
import org.graft.update.dto.StepDTO;
import org.graft.update.dto.UpdateOptionsDTO;
import org.graft.update.dto.UpdatePlanDTO;
import org.graft.update.dto.UpdateReportDTO;
import org.junit.Test;

public class ReportFormatTest {

    @Test
    public void durationsPickTheirUnit() {
        assertEquals("850 µs", ReportFormat.duration(850));
        assertEquals("12.3 ms", ReportFormat.duration(12_345));
        assertEquals("4.21 s", ReportFormat.duration(4_210_000));
    }

    @Test
    public void aPlanNamesEveryEntryAndEveryRefusal() {
        UpdatePlanDTO plan = new UpdatePlanDTO();
        plan.strategy = "drain";
        BundlePlanDTO bundle = new BundlePlanDTO();
        bundle.symbolicName = "org.x.counter";
        bundle.fromVersion = "1.0.0";
        bundle.toVersion = "2.0.0";
        plan.bundles.add(bundle);
        ServicePlanDTO service = new ServicePlanDTO();
        service.identity = "org.x.counter";
        service.interfaces = List.of("org.x.Counter");
        service.fromVersion = "1.0.0";
        service.toVersion = "2.0.0";
        StateEntryDTO entry = new StateEntryDTO();
        entry.name = "operations";
        entry.action = "REFUSED";
        entry.reason = "the default mapping would drop it";
        service.state.add(entry);
        plan.services.add(service);
        plan.refusals.add("the managed service org.x.counter: state field 'operations' would be dropped");

        List<String> lines = ReportFormat.plan(plan);
        assertEquals("Plan (drain), running -> new: org.x.counter 1.0.0 -> 2.0.0", lines.get(0));
        assertTrue(lines.get(1), lines.get(1).contains("service org.x.counter [org.x.Counter] 1.0.0 -> 2.0.0"));
        assertTrue(lines.get(2), lines.get(2).matches("\\s+operations\\s+REFUSED\\s+the default mapping would drop it"));
        assertEquals("Refused: the managed service org.x.counter: state field 'operations' would be dropped", lines.get(3));
    }

    @Test
    public void aStepLineShowsItsDetailOnlyWhenThereIsOne() {
        StepDTO step = new StepDTO();
        step.name = "drain";
        step.status = StepDTO.FAILED;
        step.durationMicros = 500_000;
        step.detail = "quiescence timeout";
        assertTrue(ReportFormat.step(step), ReportFormat.step(step).matches("\\s+drain\\s+FAILED\\s+500.0 ms  quiescence timeout"));
        step.status = StepDTO.OK;
        step.detail = null;
        assertTrue(ReportFormat.step(step), ReportFormat.step(step).matches("\\s+drain\\s+OK\\s+500.0 ms"));
    }

    @Test
    public void whileCallsAreHeldTheLiveLineNamesTheRunningStepAgainstItsTimeout() {
        UpdateReportDTO report = running("transfer", 1_100_000L);
        report.callsHeld = true;
        report.timings.heldMicros = 1_200_000L;
        assertEquals("calls held 1.20 s so far; step transfer running 1.10 s of its 10.00 s timeout", ReportFormat.live(report));
        List<String> lines = ReportFormat.report(report);
        assertTrue("the report shows the live line, not a line of final timings: " + lines,
                lines.contains(ReportFormat.live(report)) && lines.stream().noneMatch(line -> line.contains(", total ")));
        report.steps.get(0).name = "swap";
        assertEquals("a step no timeout bounds", "calls held 1.20 s so far; step swap running 1.10 s", ReportFormat.live(report));
    }

    @Test
    public void anOutcomeLineSaysUpdateOrRollbackAndOmitsTheIdOfARejectedRequest() {
        UpdateReportDTO report = running("swap", 0L);
        report.outcome = UpdateReportDTO.SUCCEEDED;
        report.message = "rolled back org.x 2.0.0 -> 1.0.0";
        report.kind = UpdateReportDTO.ROLLBACK;
        assertEquals("Rollback 7 SUCCEEDED: rolled back org.x 2.0.0 -> 1.0.0", ReportFormat.outcome(report));
        assertTrue(ReportFormat.report(report).get(0), ReportFormat.report(report).get(0).startsWith("Rollback 7 (started "));
        report.id = 0;
        report.kind = UpdateReportDTO.UPDATE;
        report.outcome = UpdateReportDTO.REFUSED;
        report.message = "Bundle x does not match any installed bundle";
        assertEquals("Update REFUSED: Bundle x does not match any installed bundle", ReportFormat.outcome(report));
    }

    @Test
    public void anInterruptedCommandSaysTheUpdateGoesOnAndHowToFollowIt() {
        assertEquals("Interrupted: update 7 goes on (it is not stopped half-way: its timeouts bound it); follow it with"
                + " dsu:status, and dsu:history 7 shows how it ended", ReportFormat.interrupted(UpdateReportDTO.UPDATE, 7));
        assertTrue(ReportFormat.interrupted(UpdateReportDTO.ROLLBACK, 0),
                ReportFormat.interrupted(UpdateReportDTO.ROLLBACK, 0).startsWith("Interrupted: the rollback goes on"));
    }

    private static UpdateReportDTO running(String step, long stepMicros) {
        UpdateReportDTO report = new UpdateReportDTO();
        report.id = 7;
        report.kind = UpdateReportDTO.UPDATE;
        report.outcome = UpdateReportDTO.IN_PROGRESS;
        report.options = new UpdateOptionsDTO();
        StepDTO running = new StepDTO();
        running.name = step;
        running.status = StepDTO.RUNNING;
        running.durationMicros = stepMicros;
        report.steps.add(running);
        return report;
    }
}
