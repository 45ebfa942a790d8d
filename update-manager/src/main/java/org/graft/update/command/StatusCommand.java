package org.graft.update.command;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.graft.update.dto.StepDTO;
import org.graft.update.dto.UpdateReportDTO;

@Service
@Command(scope = "dsu", name = "status", description = "Shows the update in progress, or the last one, step by step with timings.")
public class StatusCommand extends DsuAction {
    @Override
    public Object execute() {
        UpdateReportDTO report = updateManager.status();
        if (report == null) {
            System.out.println("No update has run yet.");
            return null;
        }
        System.out.println("Update " + report.id + " (" + report.kind + ", started " + ReportFormat.time(report.startedAt) + "): "
                + report.outcome + (report.failedStep == null ? "" : " at step " + report.failedStep));
        System.out.println("  " + ReportFormat.change(report.plan));
        for (StepDTO step : report.steps) {
            System.out.println(ReportFormat.step(step));
        }
        if (!UpdateReportDTO.REFUSED.equals(report.outcome)) {
            System.out.println(ReportFormat.timings(report));
        }
        if (report.message != null) {
            System.out.println(report.message);
        }
        return null;
    }
}
