package org.graft.update.command;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.graft.update.dto.UpdateReportDTO;
import org.graft.update.text.ReportFormat;

@Service
@Command(scope = "dsu", name = "history", description = "Lists the last updates and rollbacks (history.max.reports), including those of earlier runs.")
public class HistoryCommand extends DsuAction {
    @Option(name = "--no-format", description = "Plain output, for scripts")
    boolean noFormat;

    @Argument(index = 0, name = "id", required = false, description = "An update's id: shows that report in full")
    Long id;

    @Override
    public Object execute() {
        if (id != null) {
            UpdateReportDTO report = updateManager.history().stream().filter(kept -> kept.id == id).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no update " + id + " in the history (dsu:history lists"
                            + " the ids it keeps)"));
            ReportFormat.report(report).forEach(System.out::println);
            return null;
        }
        ShellTable table = new ShellTable();
        table.column("Id").alignRight();
        table.column("Started");
        table.column("Kind");
        table.column("Outcome");
        table.column("Change");
        // --no-format is for scripts: raw microseconds, the unit in the column's name
        table.column(noFormat ? "Held µs" : "Held").alignRight();
        table.column(noFormat ? "Total µs" : "Total").alignRight();
        for (UpdateReportDTO report : updateManager.history()) {
            table.addRow().addContent(report.id, ReportFormat.time(report.startedAt), report.kind, report.outcome,
                    ReportFormat.change(report.plan), noFormat ? report.timings.heldMicros : ReportFormat.duration(report.timings.heldMicros),
                    noFormat ? report.timings.totalMicros : ReportFormat.duration(report.timings.totalMicros));
        }
        table.print(System.out, !noFormat);
        return null;
    }
}
