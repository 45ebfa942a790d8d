package org.graft.update.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.graft.container.ManagedService;
import org.graft.container.ServiceContainer;
import org.graft.container.StagedService;
import org.graft.container.StateEntryPlan;
import org.graft.container.StateTransferException;
import org.graft.container.StateTransferResult;
import org.graft.container.Switchover;
import org.graft.transformer.Suspendable;
import org.graft.update.UpdateProgress;
import org.graft.update.dto.UpdateOptionsDTO;
import org.graft.update.dto.UpdatePlanDTO;
import org.graft.update.dto.UpdateReportDTO;
import org.graft.update.dto.UpdateRequestDTO;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;

/**
 * One update, step by step: resolve, install, plan, start, activate, hold, drain, suspend, transfer,
 * resume, swap, retire. Any failure before the swap undoes what was done in reverse (release held
 * calls, resume the old instances, remove the new bundles), so the old versions serve on with their
 * state untouched. Runs on the update manager's update thread, one transaction at a time.
 */
final class UpdateTransaction {
    private final UpdateRuntime runtime;
    private final UpdateRequestDTO request;
    private final UpdateOptionsDTO options;
    private final StepRecorder steps;
    private final UpdateReportDTO report;
    private final List<BundleReplacement> replacements = new ArrayList<>();
    private final List<Suspendable> suspended = new ArrayList<>();
    private Switchover switchover;
    private long heldAt;

    UpdateTransaction(UpdateRuntime runtime, UpdateReportDTO report, UpdateRequestDTO request, UpdateProgress progress) {
        this.runtime = runtime;
        this.request = request;
        this.options = request.options == null ? new UpdateOptionsDTO() : request.options;
        this.report = report;
        this.steps = new StepRecorder(report, runtime.journal, progress);
        report.options = options;
        report.plan = new UpdatePlanDTO();
        report.plan.strategy = options.strategy;
    }

    /** Plans without applying: installs the new versions to read them, then removes them. */
    UpdatePlanDTO dryRun() {
        UpdatePlanner planner = runtime.planner();
        try {
            replacements.addAll(planner.select(request, report.plan));
            planner.install(replacements, report.id);
            planner.plan(replacements, report.plan);
        } catch (StepFailure failure) {
            if (!report.plan.refusals.contains(failure.getMessage())) {
                report.plan.refusals.add(failure.getMessage());
            }
        } catch (BundleException | RuntimeException e) {
            report.plan.refusals.add("installing the new version failed: " + e.getMessage());
        } finally {
            removeNewBundles(new StringBuilder());
        }
        return report.plan;
    }

    UpdateReportDTO run() {
        long start = System.nanoTime();
        report.outcome = UpdateReportDTO.IN_PROGRESS;
        report.startedAt = System.currentTimeMillis();
        try {
            UpdatePlanner planner = runtime.planner();
            steps.run("resolve", () -> replacements.addAll(planner.select(request, report.plan)));
            steps.run("install", () -> {
                planner.install(replacements, report.id);
                return null;
            });
            steps.run("plan", () -> {
                planner.plan(replacements, report.plan);
                return null;
            });
            steps.run("start", this::startNewBundles);
            steps.run("activate", this::activateNewServices);
            apply();
        } catch (StepFailure failure) {
            abort(failure);
            return finish(start);
        }
        retire();
        report.outcome = UpdateReportDTO.SUCCEEDED;
        report.message = "updated " + describeChanges() + " in " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)
                + " ms; calls were held for " + report.timings.heldMicros + " µs";
        return finish(start);
    }

    private UpdateReportDTO finish(long start) {
        report.finishedAt = System.currentTimeMillis();
        report.timings.totalMicros = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - start);
        steps.persist();
        return report;
    }

    private Void startNewBundles() throws StepFailure {
        for (BundleReplacement replacement : replacements) {
            try {
                replacement.newBundle.start();
            } catch (BundleException e) {
                throw StepFailure.failed("start", replacement.describeNew() + " did not start: " + e.getMessage(), e);
            }
        }
        return null;
    }

    private Void activateNewServices() throws StepFailure, InterruptedException {
        Map<ManagedService, StagedService> pairs = new LinkedHashMap<>();
        for (BundleReplacement replacement : replacements) {
            List<String> identities = new ArrayList<>();
            for (BundleReplacement.Service service : replacement.services) {
                identities.add(service.old.identity());
            }
            Map<String, StagedService> staged;
            try {
                staged = runtime.container.awaitStaged(replacement.newBundle, identities, options.serviceTimeoutMillis);
            } catch (TimeoutException e) {
                throw StepFailure.failed("activate", e.getMessage() + diagnose(replacement, identities), e);
            }
            for (BundleReplacement.Service service : replacement.services) {
                service.staged = staged.get(service.old.identity());
                try {
                    service.newImplementation = service.staged.implementation();
                } catch (IllegalStateException e) {
                    throw StepFailure.failed("activate", e.getMessage()
                            + diagnose(replacement, List.of(service.componentName)), e);
                }
                pairs.put(service.old, service.staged);
            }
        }
        try {
            switchover = runtime.container.switchover(pairs);
        } catch (IllegalArgumentException e) {
            throw StepFailure.failed("activate", e.getMessage(), e);
        }
        return null;
    }

    private String diagnose(BundleReplacement replacement, List<String> components) {
        if (!OptionalPackages.present(OptionalPackages.SCR_RUNTIME)) {
            return "";
        }
        List<String> reasons = new ArrayList<>();
        for (String component : components) {
            String reason = ComponentDiagnostics.explain(runtime.context, replacement.newBundle, component);
            if (reason != null) {
                reasons.add(component + ": " + reason);
            }
        }
        return reasons.isEmpty() ? "" : " (" + String.join("; ", reasons) + ")";
    }

    /** Hold, drain, suspend, transfer, resume, swap: the part during which calls are held. */
    private void apply() throws StepFailure {
        boolean coexist = UpdateOptionsDTO.COEXIST.equals(options.strategy);
        // From here until the release, nothing is journaled and no listener is called: not even at the
        // end of the hold step, when calls are already held.
        steps.holding(true);
        steps.run("hold", () -> {
            heldAt = System.nanoTime();
            switchover.hold();
            return null;
        });
        if (!coexist) {
            steps.run("drain", this::drain);
            steps.run("suspend", this::suspendOld);
            steps.run("transfer", this::transferState);
            steps.run("resume", this::resumeNew);
        }
        steps.run("swap", () -> {
            switchover.commit();
            report.timings.heldMicros = TimeUnit.NANOSECONDS.toMicros(switchover.releasedAtNanos() - heldAt);
            return null;
        });
        steps.holding(false);
    }

    private Void drain() throws StepFailure, InterruptedException {
        long start = System.nanoTime();
        boolean drained = switchover.awaitQuiescence(options.quiescenceTimeoutMillis, TimeUnit.MILLISECONDS);
        report.timings.drainMicros = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - start);
        if (!drained) {
            throw StepFailure.failed("drain", "quiescence timeout: after " + options.quiescenceTimeoutMillis
                    + " ms calls were still running on the old version " + switchover.callsInFlight(), null);
        }
        return null;
    }

    private Void suspendOld() throws Exception {
        for (BundleReplacement replacement : replacements) {
            for (BundleReplacement.Service service : replacement.services) {
                Object old = service.old.implementation();
                if (old instanceof Suspendable) {
                    ((Suspendable) old).suspend();
                    suspended.add((Suspendable) old);
                }
            }
        }
        return null;
    }

    private Void transferState() throws Exception {
        long start = System.nanoTime();
        try {
            if (handsOverReferencesOnly()) {
                // Nothing to convert and no code of the service author's to run: nothing that can hang,
                // so no thread hand-off (it costs more than the transfer itself).
                transferAll();
            } else {
                transferOnTransferThread();
            }
        } finally {
            report.timings.transferMicros = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - start);
        }
        return null;
    }

    private boolean handsOverReferencesOnly() {
        for (BundleReplacement replacement : replacements) {
            for (BundleReplacement.Service service : replacement.services) {
                for (StateEntryPlan entry : service.state.entries()) {
                    if (entry.action() != StateEntryPlan.Action.HANDED_OVER && entry.action() != StateEntryPlan.Action.NEW) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    private List<StateTransferResult> transferAll() throws StateTransferException {
        List<StateTransferResult> results = new ArrayList<>();
        for (BundleReplacement replacement : replacements) {
            for (BundleReplacement.Service service : replacement.services) {
                results.add(service.state.transfer(service.old.implementation(), service.newImplementation));
            }
        }
        return results;
    }

    /** Conversions and transformers run on a thread of their own, so that one that hangs can be abandoned. */
    private void transferOnTransferThread() throws StepFailure, InterruptedException {
        Future<List<StateTransferResult>> transfer = runtime.transfers().submit(this::transferAll);
        try {
            transfer.get(options.transferTimeoutMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            transfer.cancel(true);
            runtime.abandonTransfers();
            throw StepFailure.failed("transfer", "the state transfer did not finish within " + options.transferTimeoutMillis
                    + " ms (a transformer that hangs?); it was interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            String message = cause instanceof StateTransferException ? cause.getMessage() : "the state transfer failed: " + cause;
            throw StepFailure.failed("transfer", message, cause);
        }
    }

    private Void resumeNew() throws Exception {
        for (BundleReplacement replacement : replacements) {
            for (BundleReplacement.Service service : replacement.services) {
                if (service.newImplementation instanceof Suspendable) {
                    ((Suspendable) service.newImplementation).resume();
                }
            }
        }
        return null;
    }

    /**
     * After the swap: the new versions' other services start serving and the old versions go. Under the
     * coexist strategy, old calls may still run: then the old versions go once those calls end, on the
     * retirement thread, so that none of them fails. A failure here is reported; the update has happened.
     */
    private void retire() {
        try {
            steps.run("retire", () -> {
                for (BundleReplacement replacement : replacements) {
                    runtime.container.endStaging(replacement.newBundle);
                }
                if (UpdateOptionsDTO.COEXIST.equals(options.strategy)
                        && !switchover.awaitRetiredQuiescence(options.quiescenceTimeoutMillis, TimeUnit.MILLISECONDS)) {
                    String olds = describeOlds();
                    runtime.retireWhenDrained(olds, switchover, this::retireOldBundles);
                    steps.detail("calls still run on " + olds + " after " + options.quiescenceTimeoutMillis
                            + " ms: it is retired once they end");
                    return null;
                }
                steps.detail(retireOldBundles());
                return null;
            });
        } catch (StepFailure failure) {
            report.message = "the new version serves, but retiring the old one failed: " + failure.getMessage();
        }
    }

    /** Archives (for rollback), uninstalls and, where nothing else is wired to them, refreshes the old versions. */
    private String retireOldBundles() throws Exception {
        List<Bundle> olds = new ArrayList<>();
        for (BundleReplacement replacement : replacements) {
            runtime.archive.archive(replacement.oldBundle);
            replacement.oldBundle.uninstall();
            olds.add(replacement.oldBundle);
        }
        return runtime.refresher.refreshIfAlone(olds);
    }

    private String describeOlds() {
        List<String> olds = new ArrayList<>();
        for (BundleReplacement replacement : replacements) {
            olds.add(replacement.describeOld());
        }
        return String.join(", ", olds);
    }

    private void abort(StepFailure failure) {
        StringBuilder problems = new StringBuilder();
        // The old instances resume their own work before held calls reach them again.
        for (Suspendable old : suspended) {
            try {
                old.resume();
            } catch (Exception e) {
                problems.append("; resuming ").append(old.getClass().getName()).append(" failed: ").append(e);
            }
        }
        if (switchover != null) {
            switchover.abort();
            if (heldAt != 0L && switchover.releasedAtNanos() != 0L) {
                report.timings.heldMicros = TimeUnit.NANOSECONDS.toMicros(switchover.releasedAtNanos() - heldAt);
            }
        }
        steps.holding(false);
        removeNewBundles(problems);
        report.outcome = failure.refusal ? UpdateReportDTO.REFUSED : UpdateReportDTO.FAILED;
        report.failedStep = failure.step;
        report.message = (failure.refusal ? "refused: " : "failed at step " + failure.step + ": ") + failure.getMessage()
                + ". " + stateNow() + problems;
    }

    private void removeNewBundles(StringBuilder problems) {
        for (BundleReplacement replacement : replacements) {
            Bundle bundle = replacement.newBundle;
            if (bundle == null) {
                continue;
            }
            try {
                bundle.uninstall();
            } catch (BundleException | IllegalStateException e) {
                problems.append("; the new bundle ").append(replacement.describeNew()).append(" (id ").append(bundle.getBundleId())
                        .append(") could not be removed: ").append(e.getMessage());
            }
            runtime.container.endStaging(bundle);
        }
    }

    private String stateNow() {
        if (replacements.isEmpty()) {
            return "Nothing changed.";
        }
        List<String> serving = new ArrayList<>();
        for (BundleReplacement replacement : replacements) {
            serving.add(replacement.describeOld());
        }
        return "Nothing changed: " + String.join(", ", serving) + (serving.size() > 1 ? " serve" : " serves")
                + " on with " + (serving.size() > 1 ? "their" : "its") + " state untouched";
    }

    private String describeChanges() {
        List<String> changes = new ArrayList<>();
        for (BundleReplacement replacement : replacements) {
            changes.add(replacement.describeOld() + " -> " + replacement.source.version);
        }
        return String.join(", ", changes);
    }
}
