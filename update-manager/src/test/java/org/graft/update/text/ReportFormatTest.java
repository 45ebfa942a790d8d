package org.graft.update.text;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;

import org.graft.update.dto.BundlePlanDTO;
import org.graft.update.dto.ServicePlanDTO;
import org.graft.update.dto.StateEntryDTO;
import org.graft.update.dto.StepDTO;
import org.graft.update.dto.UpdatePlanDTO;
import org.junit.Test;

public class ReportFormatTest {

    @Test
    public void durationsPickTheirUnit() {
        assertEquals("850 µs", ReportFormat.duration(850));
        assertEquals("12.3 ms", ReportFormat.duration(12_345).replace(',', '.'));
        assertEquals("4.21 s", ReportFormat.duration(4_210_000).replace(',', '.'));
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
        assertEquals("Plan (drain): org.x.counter 1.0.0 -> 2.0.0", lines.get(0));
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
        assertTrue(ReportFormat.step(step), ReportFormat.step(step).matches("\\s+drain\\s+FAILED\\s+500[.,]0 ms  quiescence timeout"));
        step.status = StepDTO.OK;
        step.detail = null;
        assertTrue(ReportFormat.step(step), ReportFormat.step(step).matches("\\s+drain\\s+OK\\s+500[.,]0 ms"));
    }
}
