package org.graft.update.command;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.graft.update.dto.UpdateReportDTO;

@Service
@Command(scope = "dsu", name = "history", description = "Lists the last updates and rollbacks (history.max.reports), including those of earlier runs.")
public class HistoryCommand extends DsuAction {
    @Option(name = "--no-format", description = "Plain output, for scripts")
    boolean noFormat;

    @Override
    public Object execute() {
        ShellTable table = new ShellTable();
        table.column("Id").alignRight();
        table.column("Started");
        table.column("Kind");
        table.column("Outcome");
        table.column("Change");
        table.column("Held").alignRight();
        table.column("Total").alignRight();
        for (UpdateReportDTO report : updateManager.history()) {
            table.addRow().addContent(report.id, ReportFormat.time(report.startedAt), report.kind, report.outcome,
                    ReportFormat.change(report.plan), ReportFormat.duration(report.timings.heldMicros),
                    ReportFormat.duration(report.timings.totalMicros));
        }
        table.print(System.out, !noFormat);
        return null;
    }
}
