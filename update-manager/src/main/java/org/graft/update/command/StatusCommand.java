package org.graft.update.command;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.graft.update.dto.UpdateReportDTO;
import org.graft.update.text.ReportFormat;

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
        ReportFormat.report(report).forEach(System.out::println);
        return null;
    }
}
