package org.graft.update.internal.transaction;

import java.util.List;

import org.graft.container.internal.log.Logs;
import org.graft.update.UpdateProgress;
import org.graft.update.UpdateStep;
import org.graft.update.dto.UpdateOptionsDTO;
import org.graft.update.dto.UpdatePlanDTO;
import org.graft.update.dto.UpdateReportDTO;
import org.graft.update.text.ReportFormat;
import org.graft.update.internal.planning.Refusal;
import org.graft.update.internal.planning.PlannedService;
import org.graft.update.internal.planning.Replacement;
import org.graft.update.internal.planning.Selection;
import org.graft.update.internal.planning.UpdatePlan;
import org.osgi.framework.BundleException;

/**
 * One update, in the order of its {@link UpdateStep}s. Values flow one way: the selector's
 * {@link Selection}, the installed {@link Replacement}s, the {@link UpdatePlan}, the activated
 * instances, the hand-over; each step takes what the one before produced. Any failure before the swap
 * runs the {@link Undo} stack, so the running versions serve on with their state untouched.
 *
 * <p>The journal is written where crash recovery needs it, and nowhere else: before the install (a
 * record names what is being installed; if it cannot be written, the update is refused, since a crash
 * could not be recovered), after it (the installed bundles' ids, which recovery removes
 * if the framework stops before the swap), after the swap (recovery must then retire the replaced
 * versions instead), and at the end (the outcome). Runs on the update manager's update thread.
 */
public final class UpdateTransaction {
    private static final System.Logger LOG = Logs.get("org.graft.update.transaction");

    /** Where the transaction's selection comes from: an update request, or a rollback's history. */
    public interface Selector {
        Selection select() throws Refusal;
    }

    private final UpdateEnvironment environment;
    private final Selector selector;
    private final ReportWriter report;
    private final StepRecorder steps;

    public UpdateTransaction(UpdateEnvironment environment, long id, String kind, UpdateOptionsDTO options, Selector selector,
            UpdateProgress progress) {
        this.environment = environment;
        this.selector = selector;
        this.report = new ReportWriter(id, kind, options);
        UpdateProgress caller = progress == null ? UpdateProgress.NONE : progress;
        UpdateObserver observer = environment.observer();
        this.steps = new StepRecorder(report.dto(), environment.journal(), (dto, step) -> {
            caller.stepEnded(dto, step);
            observer.stepEnded(dto, step);
            // the DEBUG trail (log:set DEBUG org.graft); like progress, never while calls are held
            if (LOG.isLoggable(System.Logger.Level.DEBUG)) {
                LOG.log(System.Logger.Level.DEBUG, "Graft " + dto.kind + " " + dto.id + ": step " + step.name + " " + step.status
                        + " in " + step.durationMicros + " µs" + (step.detail == null ? "" : ": " + step.detail));
            }
        });
    }

    /**
     * The report of a request rejected before any update began (no bundle or jar it names, an unknown
     * option): id 0, no history record, no journal file; its refusal is logged and observed like any.
     */
    public static UpdateReportDTO rejected(UpdateEnvironment environment, String kind, UpdateOptionsDTO options, Refusal refusal) {
        long start = System.nanoTime();
        ReportWriter report = new ReportWriter(0L, kind, options);
        report.begin();
        report.aborted(StepFailure.refused(refusal).at(UpdateStep.RESOLVE), List.of());
        report.finish(start);
        UpdateReportDTO dto = report.dto();
        environment.observer().finished(dto);
        LOG.log(System.Logger.Level.WARNING, "Graft " + kind + " request " + dto.outcome + " (" + channel(dto) + "): " + dto.message);
        return dto;
    }

    /** The report, as far as the transaction got. */
    public UpdateReportDTO report() {
        return report.dto();
    }

    /** A copy of the report as it stands, with the times so far: for readers on other threads while it runs. */
    public UpdateReportDTO snapshot() {
        return steps.snapshot();
    }

    /**
     * Plans without applying: the next versions are installed (not started, hidden from every other bundle
     * by {@link DryRunInstalls}) to read them, then removed.
     */
    public UpdatePlanDTO dryRun() {
        Undo undo = new Undo();
        try {
            Selection selection = selector.select();
            report.selected(selection);
            List<Replacement> replacements = NextVersions.install(environment.context(), environment.container(),
                    environment.retirement().carriers(), selection, report.dto().id, true, undo);
            report.installed(replacements);
            UpdatePlan plan = environment.planner().plan(replacements, selection.options());
            report.planned(plan);
            List<PlannedService> known = plan.services().stream()
                    .filter(service -> service.state() != null && service.state().refusal().isEmpty()).toList();
            Rehearsal rehearsal = Rehearsal.run(environment.transfers(), known, selection.options().transferTimeoutMillis);
            report.rehearsed(rehearsal);
            report.refusals(rehearsal.problems());
            rehearsal.overLimit(selection.options()).ifPresent(over -> report.refusals(List.of(over)));
        } catch (StepFailure failure) {
            report.refusals(List.of(failure.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            report.refusals(List.of("the dry run was interrupted"));
        } catch (Refusal refusal) {
            report.refusals(refusal.reasons());
        } catch (BundleException | RuntimeException e) {
            report.refusals(List.of("installing the new version failed: " + e.getMessage()));
        } finally {
            for (String problem : undo.runAll()) {
                LOG.log(System.Logger.Level.ERROR, "Graft's dry run could not clean up after itself: " + problem);
            }
        }
        return report.dto().plan;
    }

    public UpdateReportDTO run() {
        long start = System.nanoTime();
        report.begin();
        environment.observer().started(report.dto());
        Undo undo = new Undo();
        List<Replacement> replacements;
        Activation.Activated activated;
        Handover handover = null;
        String feature;
        try {
            Selection selection = steps.run(UpdateStep.RESOLVE, selector::select);
            report.selected(selection);
            feature = selection.feature();
            steps.checkpointBeforeChanges();
            replacements = steps.run(UpdateStep.INSTALL, () -> NextVersions.install(environment.context(), environment.container(),
                    environment.retirement().carriers(), selection, report.dto().id, undo));
            report.installed(replacements);
            steps.checkpoint();
            UpdatePlan plan = steps.run(UpdateStep.PLAN, () -> {
                UpdatePlan planned = environment.planner().plan(replacements, selection.options());
                report.planned(planned);
                return planned.orRefuse();
            });
            try (Activation activation = new Activation(environment.context(), environment.container(), environment.planner(),
                    plan, selection.options())) {
                steps.run(UpdateStep.START, activation::start);
                activated = steps.run(UpdateStep.ACTIVATE, activation::activate);
            }
            report.activated(activated.nextInstances().keySet());
            Rehearsal rehearsal = rehearse(selection.options(), activated);
            handover = new Handover(steps, undo, environment.transfers(), selection.options(), activated, rehearsal.transfers());
            handover.run();
            report.handedOver(handover);
            steps.checkpoint();
        } catch (StepFailure failure) {
            List<String> undoProblems = undo.runAll();
            if (handover != null) {
                // after the undo, which released the held calls: only now is the held time known
                report.handedOver(handover);
            }
            steps.holding(false);
            report.aborted(failure, undoProblems);
            return finish(start, failure);
        }
        String retireProblem = null;
        try {
            steps.run(UpdateStep.RETIRE, () -> {
                steps.detail(environment.retirement().retire(replacements, activated.switchover(), report.dto().options, feature));
                return null;
            });
        } catch (StepFailure failure) {
            retireProblem = failure.getMessage();
            LOG.log(System.Logger.Level.ERROR, "Graft update " + report.dto().id + ": the new version serves, but retiring"
                    + " the old one failed: " + failure.getMessage(), failure.getCause());
        }
        report.succeeded(retireProblem);
        return finish(start, null);
    }

    /**
     * The {@code rehearse} step, where there is a transfer to rehearse; under the coexist strategy no
     * state is transferred, and an update that asked for none runs its transfers cold.
     */
    private Rehearsal rehearse(UpdateOptionsDTO options, Activation.Activated activated) throws StepFailure {
        if (UpdateOptionsDTO.COEXIST.equals(options.strategy) || !options.rehearse) {
            return Rehearsal.none(activated.nextInstances().keySet());
        }
        return steps.run(UpdateStep.REHEARSE, () -> {
            Rehearsal rehearsal = Rehearsal.run(environment.transfers(), activated.nextInstances().keySet(),
                    options.transferTimeoutMillis);
            report.rehearsed(rehearsal);
            steps.detail(rehearsal.detail());
            rehearsal.check(options);
            return rehearsal;
        });
    }

    /** Through which channel, and by whom where known, for the log line. */
    private static String channel(UpdateReportDTO dto) {
        String channel = dto.options == null || dto.options.channel == null ? UpdateOptionsDTO.CHANNEL_API : dto.options.channel;
        return dto.options != null && dto.options.user != null ? channel + ", user " + dto.options.user : channel;
    }

    private UpdateReportDTO finish(long start, StepFailure failure) {
        report.finish(start);
        steps.checkpoint();
        UpdateReportDTO dto = report.dto();
        environment.observer().finished(dto);
        String line = "Graft " + dto.kind + " " + dto.id + " " + dto.outcome + " (" + channel(dto) + "): " + dto.message
                + (UpdateReportDTO.REFUSED.equals(dto.outcome) ? "" : " [" + ReportFormat.timings(dto) + "]");
        if (failure == null) {
            LOG.log(System.Logger.Level.INFO, line);
        } else if (failure.refusal()) {
            LOG.log(System.Logger.Level.WARNING, line, failure.getCause());
        } else {
            LOG.log(System.Logger.Level.ERROR, line, failure.getCause() != null ? failure.getCause() : failure);
        }
        return dto;
    }
}
