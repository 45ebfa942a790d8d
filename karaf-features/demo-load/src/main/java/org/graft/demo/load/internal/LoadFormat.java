package org.graft.demo.load.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Turns a {@link LoadReport} into text for the shell. No Karaf types: plain and testable. */
public final class LoadFormat {
    private LoadFormat() {
    }

    /** Nanoseconds as milliseconds with 3 decimals: "12.345". */
    public static String millis(long nanos) {
        return String.format(Locale.ROOT, "%.3f", nanos / 1_000_000.0);
    }

    /** "yes" if the key gained exactly its thread's calls, "no (+3)" otherwise, "-" while running. */
    public static String kept(LoadReport report, LoadReport.ThreadReport thread) {
        if (report.running) {
            return "-";
        }
        long difference = thread.counterNow - thread.counterAtStart - thread.calls;
        return difference == 0L ? "yes" : String.format(Locale.ROOT, "no (%+d)", difference);
    }

    /**
     * The report's one summary line: "Load stopped after 61.234 s: 9876543 calls, 0 failed, longest call
     * 12.345 ms; counter version 2; every key gained exactly its calls; service.id 57 (Graft proxy)
     * stayed registered, 2 MODIFIED events".
     */
    public static String summary(LoadReport report) {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "Load %s after %.3f s: %d calls, %d failed, longest call %s ms",
                report.running ? "running" : "stopped", report.elapsedNanos / 1_000_000_000.0, report.calls, report.failed,
                millis(report.longestNanos)));
        line.append("; counter version ").append(report.counterVersion);
        if (report.running) {
            line.append("; keys are checked once the load is stopped");
        } else if (report.allKept()) {
            line.append("; every key gained exactly its calls");
        } else {
            line.append("; SOME KEYS DID NOT GAIN EXACTLY THEIR CALLS (see Kept)");
        }
        if (report.serviceId != 0L) {
            line.append("; ").append(service(report)).append(report.serviceUnregistered ? " was UNREGISTERED" : " stayed registered")
                    .append(", ").append(report.serviceModifiedEvents).append(report.serviceModifiedEvents == 1 ? " MODIFIED event" : " MODIFIED events");
        }
        if (report.consumerActivationsAtStart >= 0) {
            line.append("; through the ").append(report.via).append(" consumer: activations ").append(report.consumerActivationsAtStart)
                    .append(" -> ").append(report.consumerActivationsNow).append(", registered counter version ")
                    .append(report.registeredCounterVersion);
        }
        return line.toString();
    }

    /**
     * One line of key=value figures for scripts: "figures via=plain calls=123 failed=0 longest_ms=1.234
     * kept=no consumer_restarts=1 unregistered=yes reached_version=1 registered_version=2
     * failing_from_ms=0 failing_to_ms=0" (epoch ms of the first and the last failed call, 0 if none).
     */
    public static String figures(LoadReport report) {
        return "figures via=" + report.via + " calls=" + report.calls + " failed=" + report.failed + " longest_ms=" + millis(report.longestNanos)
                + " kept=" + (report.running ? "-" : report.allKept() ? "yes" : "no")
                + " consumer_restarts=" + (report.consumerActivationsAtStart < 0 ? "-" : String.valueOf(report.consumerActivationsNow - report.consumerActivationsAtStart))
                + " unregistered=" + (report.serviceUnregistered ? "yes" : "no")
                + " reached_version=" + report.counterVersion.replace(' ', '_')
                + " registered_version=" + (report.registeredCounterVersion == null ? "-" : report.registeredCounterVersion)
                + " failing_from_ms=" + report.firstFailureAtMillis + " failing_to_ms=" + report.lastFailureAtMillis;
    }

    /** "service.id 57 (Graft proxy)": the registration the load calls. */
    public static String service(LoadReport report) {
        return (report.consumerActivationsAtStart >= 0 ? report.via + " consumer " : "") + "service.id " + report.serviceId + (report.serviceManaged ? " (Graft proxy)" : " (not managed by Graft)");
    }

    /** Nothing if no call failed; else a heading and the first failures, one a line. */
    public static List<String> failures(LoadReport report) {
        List<String> lines = new ArrayList<>();
        if (report.failed > 0) {
            lines.add("First failures (" + report.firstFailures.size() + " of " + report.failed + "):");
            report.firstFailures.forEach(failure -> lines.add("  " + failure));
        }
        return lines;
    }
}
