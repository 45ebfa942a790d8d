package org.graft.update.text;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.graft.update.UpdateStep;
import org.graft.update.dto.BundlePlanDTO;
import org.graft.update.dto.ServicePlanDTO;
import org.graft.update.dto.StateEntryDTO;
import org.graft.update.dto.StepDTO;
import org.graft.update.dto.UpdateOptionsDTO;
import org.graft.update.dto.UpdatePlanDTO;
import org.graft.update.dto.UpdateReportDTO;

/**
 * Turns the update manager's DTOs into text for people: the shell commands and the MBean print the same
 * lines. No Karaf types: plain and testable.
 */
public final class ReportFormat {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    private ReportFormat() {
    }

    /** 850 µs, 12.3 ms, 4.21 s, whatever the locale: scripts read it. */
    public static String duration(long micros) {
        if (micros < 1_000L) {
            return micros + " µs";
        }
        if (micros < 1_000_000L) {
            return String.format(Locale.ROOT, "%.1f ms", micros / 1_000.0);
        }
        return String.format(Locale.ROOT, "%.2f s", micros / 1_000_000.0);
    }

    public static String time(long epochMillis) {
        return epochMillis == 0L ? "" : TIME.format(Instant.ofEpochMilli(epochMillis));
    }

    /** "org.x.counter 1.0.0 -> 2.0.0, org.x.greeting 1.0.0 -> 2.0.0". */
    public static String change(UpdatePlanDTO plan) {
        if (plan == null || plan.bundles.isEmpty()) {
            return "";
        }
        List<String> changes = new ArrayList<>();
        for (BundlePlanDTO bundle : plan.bundles) {
            changes.add(bundle.symbolicName + " " + bundle.fromVersion + " -> " + bundle.toVersion);
        }
        return String.join(", ", changes);
    }

    /** "  transfer   OK       12.3 ms  detail". */
    public static String step(StepDTO step) {
        return String.format("  %-9s %-7s %10s%s", step.name, step.status, duration(step.durationMicros),
                step.detail == null || step.status.equals(StepDTO.OK) && step.detail.isEmpty() ? "" : "  " + step.detail);
    }

    /**
     * A report in full, as {@code dsu:status} and {@code dsu:history <id>} print it: its header, what it
     * changes, each step, the timings (none for a refusal: it ran nothing), the message, who asked
     * through which channel.
     */
    public static List<String> report(UpdateReportDTO report) {
        List<String> lines = new ArrayList<>();
        lines.add(title(report) + " " + report.id + " (started " + time(report.startedAt) + "): " + report.outcome
                + (report.failedStep == null ? "" : " at step " + report.failedStep));
        lines.add("  " + change(report.plan));
        for (StepDTO step : report.steps) {
            lines.add(step(step));
        }
        if (report.callsHeld) {
            lines.add(live(report));
        } else if (!UpdateReportDTO.REFUSED.equals(report.outcome)) {
            lines.add(timings(report));
        }
        if (report.message != null) {
            lines.add(report.message);
        }
        if (report.options != null && report.options.channel != null) {
            lines.add("Asked through " + report.options.channel + (report.options.user == null ? "" : " by " + report.options.user));
        }
        return lines;
    }

    /** "Update" or "Rollback", as the report's kind says. */
    public static String title(UpdateReportDTO report) {
        return title(report.kind);
    }

    private static String title(String kind) {
        return UpdateReportDTO.ROLLBACK.equals(kind) ? "Rollback" : "Update";
    }

    /**
     * The one line that ends a change: "Update 7 SUCCEEDED: updated ...", "Rollback 8 FAILED: ..."; a
     * request rejected before it became an update (id 0, nothing in the history) has no id.
     */
    public static String outcome(UpdateReportDTO report) {
        return title(report) + (report.id == 0 ? "" : " " + report.id) + " " + report.outcome + ": " + report.message;
    }

    /**
     * While calls are held: for how long so far, and which step runs against its timeout, e.g. "calls held
     * 1.20 s so far; step transfer running 1.10 s of its 10.00 s timeout".
     */
    public static String live(UpdateReportDTO report) {
        String line = "calls held " + duration(report.timings.heldMicros) + " so far";
        StepDTO running = null;
        for (StepDTO step : report.steps) {
            if (StepDTO.RUNNING.equals(step.status)) {
                running = step;
            }
        }
        if (running == null) {
            return line;
        }
        long timeoutMillis = timeoutMillis(running.name, report.options);
        return line + "; step " + running.name + " running " + duration(running.durationMicros)
                + (timeoutMillis > 0 ? " of its " + duration(timeoutMillis * 1_000L) + " timeout" : "");
    }

    /** The timeout that bounds a step, in ms, or 0 if none of the options does. */
    private static long timeoutMillis(String step, UpdateOptionsDTO options) {
        if (options == null) {
            return 0L;
        }
        if (UpdateStep.DRAIN.label().equals(step)) {
            return options.quiescenceTimeoutMillis;
        }
        if (UpdateStep.TRANSFER.label().equals(step)) {
            return options.transferTimeoutMillis;
        }
        if (UpdateStep.ACTIVATE.label().equals(step)) {
            return options.serviceTimeoutMillis;
        }
        return 0L;
    }

    /**
     * What a command says when it is interrupted (Ctrl-C) while its update runs: the update is not
     * stopped, and how to follow it.
     */
    public static String interrupted(String kind, long id) {
        String what = title(kind);
        return id == 0
                ? "Interrupted: the " + what.toLowerCase() + " goes on (it is not stopped half-way: its timeouts bound it);"
                        + " follow it with dsu:status"
                : "Interrupted: " + what.toLowerCase() + " " + id + " goes on (it is not stopped half-way: its timeouts bound"
                        + " it); follow it with dsu:status, and dsu:history " + id + " shows how it ended";
    }

    /** The timings line of a report. */
    public static String timings(UpdateReportDTO report) {
        // The unlink ran before the hold, with calls flowing: shown beside, not inside, the held time.
        String unlink = report.timings.unlinkMicros > 0 ? ", unlink before the hold " + duration(report.timings.unlinkMicros) : "";
        return "calls held " + duration(report.timings.heldMicros) + ", drain " + duration(report.timings.drainMicros)
                + ", state transfer " + duration(report.timings.transferMicros) + unlink + ", total " + duration(report.timings.totalMicros);
    }

    /**
     * A dry run, line by line: which side is running and which new, what the dry run installed to read the
     * new version, each service and each state entry with what happens to it, then refusals.
     */
    public static List<String> plan(UpdatePlanDTO plan) {
        List<String> lines = new ArrayList<>();
        lines.add("Plan (" + plan.strategy + "), running -> new: " + change(plan));
        List<String> installed = new ArrayList<>();
        for (BundlePlanDTO bundle : plan.bundles) {
            if (bundle.toBundleId > 0L) {
                installed.add(bundle.symbolicName + " " + bundle.toVersion + " as bundle " + bundle.toBundleId);
            }
        }
        if (!installed.isEmpty()) {
            lines.add("  (to read it, the dry run installed " + String.join(", ", installed) + " beside the running version:"
                    + " never started, seen by no other bundle, uninstalled again; nothing else changed)");
        }
        List<String> reset = new ArrayList<>();
        for (ServicePlanDTO service : plan.services) {
            lines.add("  service " + service.identity + " " + service.interfaces + " " + service.fromVersion + " -> "
                    + service.toVersion + (service.transformer == null ? "" : ", transformer " + service.transformer));
            if (service.note != null) {
                lines.add("    (" + service.note + ")");
            }
            for (StateEntryDTO entry : service.state) {
                lines.add(String.format("    %-12s %-12s %s", entry.name, entry.action, entry.reason));
                if (entry.rehearsal != null) {
                    lines.add(String.format("    %-12s   rehearsed on the live state: %s, %s", "", entry.rehearsal, entry.rehearsalDetail));
                }
                if ("RESET".equals(entry.action) || "RESET".equals(entry.rehearsal)) {
                    reset.add(service.identity + "." + entry.name);
                }
            }
            if (service.estimatedTransferMicros >= 0L) {
                lines.add("    estimated transfer (from the rehearsal; calls are held about this long, plus the drain): "
                        + duration(service.estimatedTransferMicros));
            }
        }
        if (plan.refusals.isEmpty() && !reset.isEmpty()) {
            lines.add("Nothing refused, but the update resets " + reset + ": not carried (not declared as state, or not written by its transformer).");
        } else if (plan.refusals.isEmpty()) {
            lines.add("Nothing refused: the update can be applied.");
        } else {
            for (String refusal : plan.refusals) {
                lines.add("Refused: " + refusal);
            }
        }
        return lines;
    }
}
