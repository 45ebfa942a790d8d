package org.graft.demo.load.internal.shell;

import java.io.PrintStream;

import org.apache.karaf.shell.support.table.ShellTable;
import org.graft.demo.load.internal.LoadFormat;
import org.graft.demo.load.internal.LoadReport;

/** Prints a load report: a table of the threads, the summary line, then the first failures if any. */
final class ReportPrinter {
    private ReportPrinter() {
    }

    static void print(LoadReport report, PrintStream out, boolean noFormat) {
        ShellTable table = new ShellTable();
        table.column("Thread");
        table.column("Key");
        table.column("Calls").alignRight();
        table.column("Failed").alignRight();
        table.column("Longest ms").alignRight();
        table.column("At start").alignRight();
        table.column("get(key)").alignRight();
        table.column("Kept");
        for (LoadReport.ThreadReport thread : report.threads) {
            table.addRow().addContent(thread.thread, thread.key, thread.calls, thread.failed, LoadFormat.millis(thread.longestNanos),
                    thread.counterAtStart, thread.counterNow, LoadFormat.kept(report, thread));
        }
        table.print(out, !noFormat);
        out.println(LoadFormat.summary(report));
        LoadFormat.failures(report).forEach(out::println);
        if (noFormat) {
            out.println(LoadFormat.figures(report));
        }
    }
}
