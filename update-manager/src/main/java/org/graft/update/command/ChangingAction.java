package org.graft.update.command;

import java.io.PrintStream;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.apache.karaf.shell.api.action.Option;
import org.graft.update.UpdateProgress;
import org.graft.update.dto.StepDTO;
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
    // Not -t: in Karaf's commands -t means "simulate" (feature:install -t).
    @Option(name = "--drain-timeout", description = "How long to wait for running calls to drain, in ms")
    long quiescenceTimeoutMillis = new UpdateOptionsDTO().quiescenceTimeoutMillis;

    @Option(name = "--transfer-timeout", description = "How long the state transfer (transformers) may take, in ms")
    long transferTimeoutMillis = new UpdateOptionsDTO().transferTimeoutMillis;

    @Option(name = "--strategy", aliases = "-s", description = "drain (default) or coexist (stateless services only)")
    String strategy = UpdateOptionsDTO.DRAIN;

    @Option(name = "--withdraw-unmanaged", description = "Also update a bundle whose services Graft left unmanaged: their"
            + " consumers see them withdrawn and registered again, the managed ones switch seamlessly")
    boolean withdrawUnmanaged;

    UpdateOptionsDTO options() {
        UpdateOptionsDTO options = new UpdateOptionsDTO();
        options.quiescenceTimeoutMillis = quiescenceTimeoutMillis;
        options.transferTimeoutMillis = transferTimeoutMillis;
        options.strategy = strategy;
        options.withdrawUnmanaged = withdrawUnmanaged;
        options.channel = UpdateOptionsDTO.CHANNEL_SHELL;
        options.user = Requester.user();
        return options;
    }

    /** An update or rollback of the update manager's, given a progress listener. */
    interface Run {
        UpdateReportDTO run(UpdateProgress progress);
    }

    /**
     * Runs it, printing each step when it ends, then the outcome; throws with the message if it did not
     * succeed. Steps are handed over through a queue and printed on this thread: Karaf binds
     * System.out to the session's thread.
     */
    UpdateReportDTO runWithProgress(Run run) throws Exception {
        PrintStream out = System.out;
        BlockingQueue<StepDTO> ended = new LinkedBlockingQueue<>();
        ExecutorService runner = Executors.newSingleThreadExecutor(task -> new Thread(task, "graft-dsu-command"));
        try {
            Future<UpdateReportDTO> result = runner.submit(() -> run.run((report, step) -> ended.add(step)));
            UpdateReportDTO report = null;
            while (report == null) {
                StepDTO step = ended.poll(100, TimeUnit.MILLISECONDS);
                if (step != null) {
                    out.println(ReportFormat.step(step));
                } else if (result.isDone()) {
                    report = done(result);
                }
            }
            for (StepDTO step = ended.poll(); step != null; step = ended.poll()) {
                out.println(ReportFormat.step(step));
            }
            if (!UpdateReportDTO.REFUSED.equals(report.outcome)) {
                // a refusal ran nothing: no timings to show
                out.println(ReportFormat.timings(report));
            }
            if (!UpdateReportDTO.SUCCEEDED.equals(report.outcome)) {
                throw new IllegalStateException(ReportFormat.outcome(report));
            }
            out.println(ReportFormat.outcome(report));
            return report;
        } finally {
            runner.shutdownNow();
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
