package org.graft.demo.load.internal.shell;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.graft.demo.load.internal.LoadReport;

@Service
@Command(scope = "graft-demo", name = "load-report",
        description = "Shows the load so far: calls (successful), failures and the longest call per thread, each key's counter, the totals.")
public class LoadReportCommand extends LoadAction {
    @Option(name = "--no-format", description = "Plain output, for scripts")
    boolean noFormat;

    @Override
    public Object execute() {
        LoadReport report = demoLoad.report();
        if (report == null) {
            System.out.println("No load was started: graft-demo:load-start first.");
            return null;
        }
        ReportPrinter.print(report, System.out, noFormat);
        return null;
    }
}
