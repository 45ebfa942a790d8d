package org.graft.update.command;

import java.io.PrintStream;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.graft.update.UpdateProgress;
import org.graft.update.dto.StepDTO;
import org.graft.update.dto.ManagedServiceDTO;
import org.graft.update.dto.UpdateOptionsDTO;
import org.graft.update.dto.UpdateReportDTO;
import org.graft.update.text.ReportFormat;
import org.graft.update.text.Requester;

/**
 * What the commands that change something share ({@code dsu:update}, {@code dsu:rollback}): the
 * update options, and running the change while printing its steps as they end. A change that does not
 * succeed ends the command with its one-line message (Karaf prints it as the command's error).
 */
abstract class ChangingAction extends DsuAction {
    /** How long calls must have been held before the live line shows, and how often it shows then. */
    private static final long LIVE_AFTER_MICROS = 200_000L;
    private static final long LIVE_EVERY_NANOS = TimeUnit.SECONDS.toNanos(1);

    // Not -t: in Karaf's commands -t means "simulate" (feature:install -t).
    @Option(name = "--drain-timeout", description = "How long to wait for running calls to drain, in ms")
    long quiescenceTimeoutMillis = new UpdateOptionsDTO().quiescenceTimeoutMillis;

    @Option(name = "--transfer-timeout", description = "How long the state transfer (transformers) may take, in ms")
    long transferTimeoutMillis = new UpdateOptionsDTO().transferTimeoutMillis;

    @Option(name = "--strategy", aliases = "-s", description = "drain (default) or coexist (stateless services only)")
    @Completion(value = StringsCompleter.class, values = {UpdateOptionsDTO.DRAIN, UpdateOptionsDTO.COEXIST})
    String strategy = UpdateOptionsDTO.DRAIN;

    @Option(name = "--withdraw-unmanaged", description = "Also update a bundle whose services Graft left unmanaged: their"
            + " consumers see them withdrawn and registered again, the managed ones switch seamlessly")
    boolean withdrawUnmanaged;

    @Option(name = "--hold-limit", description = "The longest calls may be held, in ms: refuse, before any call is held, an"
            + " update whose rehearsal estimates a longer hold, and abort one still holding calls after this long, releasing"
            + " them to the old version (0: no limit but the drain and transfer timeouts)")
    long holdLimitMillis = new UpdateOptionsDTO().holdLimitMillis;

    @Option(name = "--no-rehearsal", description = "Do not rehearse the state transfer on a snapshot of the live state before"
            + " calls are held (then a transformer that throws is found only while calls are held)")
    boolean noRehearsal;

    /** The session running the command: its terminal is flushed after each line. */
    @Reference
    Session session;

    UpdateOptionsDTO options() {
        UpdateOptionsDTO options = new UpdateOptionsDTO();
        options.quiescenceTimeoutMillis = quiescenceTimeoutMillis;
        options.transferTimeoutMillis = transferTimeoutMillis;
        options.strategy = strategy;
        options.withdrawUnmanaged = withdrawUnmanaged;
        options.holdLimitMillis = holdLimitMillis;
        options.rehearse = !noRehearsal;
        options.channel = UpdateOptionsDTO.CHANNEL_SHELL;
        options.user = Requester.user();
        return options;
    }

    /**
     * The version the managed bundle {@code bundle} (symbolic name or id) serves now, as the operator sees
     * it: the update or rollback is refused if another update changes it before this one starts. Null if
     * no managed service of it serves (the update manager then says what is wrong).
     */
    String servingVersion(String bundle) {
        if (bundle == null) {
            return null;
        }
        for (ManagedServiceDTO service : updateManager.managedServices()) {
            if (service.version != null && (bundle.equals(service.bundle) || bundle.equals(String.valueOf(service.bundleId)))) {
                return service.version;
            }
        }
        return null;
    }

    /** An update or rollback of the update manager's, given a progress listener. */
    interface Run {
        UpdateReportDTO run(UpdateProgress progress);
    }

    /**
     * Runs it, printing each step when it ends, then the outcome; throws with the message if it did not
     * succeed. Steps are handed over through a queue and printed on this thread: Karaf binds
     * System.out to the session's thread. Each line is flushed at once, through to the terminal.
     * While calls are held (steps that end then are told at the release), a live line every second says
     * for how long and which step runs. Interrupted (Ctrl-C), it says that the change goes on and returns.
     */
    UpdateReportDTO runWithProgress(String kind, Run run) throws Exception {
        Printer out = new Printer(System.out, new TerminalFlush(session));
        UpdateReportDTO before = updateManager.status();
        if (before != null && UpdateReportDTO.IN_PROGRESS.equals(before.outcome)) {
            // the update thread runs one at a time: say what this one waits for, and on what it then acts
            out.print("Waiting for " + before.kind + " " + before.id + " to finish: this " + kind + " runs after it, and is"
                    + " refused if that one changes the version it was asked for");
        }
        BlockingQueue<StepDTO> ended = new LinkedBlockingQueue<>();
        AtomicLong id = new AtomicLong();
        ExecutorService runner = Executors.newSingleThreadExecutor(task -> new Thread(task, "graft-dsu-command"));
        try {
            Future<UpdateReportDTO> result = runner.submit(() -> run.run((report, step) -> {
                id.set(report.id);
                ended.add(step);
            }));
            UpdateReportDTO report = null;
            long lastLiveNanos = System.nanoTime() - LIVE_EVERY_NANOS;
            while (report == null) {
                StepDTO step;
                try {
                    step = ended.poll(100, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    // the update manager does not stop an update half-way; the runner waits for it
                    out.print(ReportFormat.interrupted(kind, id.get()));
                    return null;
                }
                if (step != null) {
                    out.print(ReportFormat.step(step));
                } else if (result.isDone()) {
                    report = done(result);
                } else if (id.get() != 0L && System.nanoTime() - lastLiveNanos >= LIVE_EVERY_NANOS) {
                    UpdateReportDTO live = updateManager.status();
                    if (live != null && live.id == id.get() && live.callsHeld && live.timings.heldMicros >= LIVE_AFTER_MICROS) {
                        out.print("  ... " + ReportFormat.live(live));
                        lastLiveNanos = System.nanoTime();
                    }
                }
            }
            for (StepDTO step = ended.poll(); step != null; step = ended.poll()) {
                out.print(ReportFormat.step(step));
            }
            if (!UpdateReportDTO.REFUSED.equals(report.outcome)) {
                // a refusal ran nothing: no timings to show
                out.print(ReportFormat.timings(report));
            }
            if (!UpdateReportDTO.SUCCEEDED.equals(report.outcome)) {
                throw new IllegalStateException(ReportFormat.outcome(report));
            }
            out.print(ReportFormat.outcome(report));
            return report;
        } finally {
            // not shutdownNow: after an interrupt the runner still waits for the update, and says nothing
            runner.shutdown();
        }
    }

    /** Prints whole lines and has each seen at once: flushed through to the session's terminal. */
    private record Printer(PrintStream out, TerminalFlush terminal) {
        void print(String line) {
            out.println(line);
            out.flush();
            terminal.flush();
        }
    }

    private static UpdateReportDTO done(Future<UpdateReportDTO> result) throws Exception {
        try {
            return result.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception ? (Exception) e.getCause() : e;
        }
    }
}
