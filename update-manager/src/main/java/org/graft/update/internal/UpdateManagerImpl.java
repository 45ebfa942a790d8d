package org.graft.update.internal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.graft.container.ManagedService;
import org.graft.update.UpdateManager;
import org.graft.update.UpdateProgress;
import org.graft.update.dto.BundlePlanDTO;
import org.graft.update.dto.BundleUpdateDTO;
import org.graft.update.dto.ManagedServiceDTO;
import org.graft.update.dto.ServicePlanDTO;
import org.graft.update.dto.StepDTO;
import org.graft.update.dto.UpdateOptionsDTO;
import org.graft.update.dto.UpdatePlanDTO;
import org.graft.update.dto.UpdateReportDTO;
import org.graft.update.dto.UpdateRequestDTO;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.framework.Version;

/**
 * The {@link UpdateManager}: runs every update, rollback, dry run and journal recovery on one named
 * thread ({@code graft-update}), so updates never overlap and callers (shell, watch folder) only wait.
 */
final class UpdateManagerImpl implements UpdateManager {
    private static final System.Logger LOG = System.getLogger("org.graft.update");

    private final UpdateRuntime runtime;
    private final ExecutorService updates = Executors.newSingleThreadExecutor(task -> new Thread(task, "graft-update"));
    /** The last finished updates, oldest first. Appended by the update thread only. */
    private final ReportHistory history;
    /** The update running now, or null. Written by the update thread. */
    private volatile UpdateReportDTO running;
    /** The last id given out; only touched on the update thread. */
    private long lastId;

    UpdateManagerImpl(UpdateRuntime runtime, int maxReports) throws IOException {
        this.runtime = runtime;
        this.history = new ReportHistory(runtime.journal, runtime.archive, maxReports);
        for (UpdateReportDTO report : history.snapshot()) {
            lastId = Math.max(lastId, report.id);
        }
    }

    /** Resolves updates that a stop of the framework interrupted; runs before any new update. */
    void recover() {
        updates.submit(() -> {
            for (UpdateReportDTO report : history.snapshot()) {
                if (UpdateReportDTO.IN_PROGRESS.equals(report.outcome)) {
                    new JournalRecovery(runtime.context).resolve(report);
                    runtime.journal.write(report);
                    history.replace(report);
                    LOG.log(Level.WARNING, "Graft update " + report.id + " was interrupted by a framework stop: " + report.message);
                }
            }
        });
    }

    int maxReports() {
        return history.maxReports();
    }

    /** Keeps the last {@code maxReports} reports from now on; a smaller bound drops the oldest at once. */
    void maxReports(int maxReports) {
        updates.submit(() -> history.maxReports(maxReports));
    }

    @Override
    public UpdatePlanDTO plan(UpdateRequestDTO request) {
        return onUpdateThread(() -> new UpdateTransaction(runtime, newReport(UpdateReportDTO.UPDATE, 0L), request,
                UpdateProgress.NONE).dryRun());
    }

    @Override
    public UpdateReportDTO update(UpdateRequestDTO request, UpdateProgress progress) {
        return onUpdateThread(() -> apply(UpdateReportDTO.UPDATE, request, progress));
    }

    @Override
    public UpdateReportDTO rollback(String bundle, UpdateOptionsDTO options, UpdateProgress progress) {
        return onUpdateThread(() -> {
            String refusal;
            try {
                return apply(UpdateReportDTO.ROLLBACK, rollbackRequest(bundle, options), progress);
            } catch (IllegalArgumentException e) {
                refusal = e.getMessage();
            }
            UpdateReportDTO report = newReport(UpdateReportDTO.ROLLBACK, ++lastId);
            report.options = options;
            report.outcome = UpdateReportDTO.REFUSED;
            report.failedStep = "resolve";
            report.message = "refused: " + refusal + ". Nothing changed.";
            report.finishedAt = report.startedAt;
            runtime.journal.write(report);
            history.add(report);
            return report;
        });
    }

    private UpdateReportDTO apply(String kind, UpdateRequestDTO request, UpdateProgress progress) {
        UpdateReportDTO report = newReport(kind, ++lastId);
        running = report;
        try {
            new UpdateTransaction(runtime, report, request, progress == null ? UpdateProgress.NONE : progress).run();
            if (UpdateReportDTO.ROLLBACK.equals(kind) && UpdateReportDTO.REFUSED.equals(report.outcome)
                    && "plan".equals(report.failedStep)) {
                report.message = "rollback " + report.message.replaceFirst("^refused: ", "refused, there is no way down: ");
                runtime.journal.write(report);
            }
            history.add(report);
            return report;
        } finally {
            running = null;
        }
    }

    /** The request that reinstalls the version a bundle had before its last successful update. */
    private UpdateRequestDTO rollbackRequest(String selector, UpdateOptionsDTO options) {
        Bundle current = currentBundle(selector);
        BundlePlanDTO last = null;
        for (UpdateReportDTO report : history.snapshot()) {
            if (UpdateReportDTO.SUCCEEDED.equals(report.outcome) && report.plan != null) {
                for (BundlePlanDTO bundle : report.plan.bundles) {
                    if (bundle.symbolicName.equals(current.getSymbolicName())
                            && current.getVersion().equals(Version.parseVersion(bundle.toVersion))) {
                        last = bundle;
                    }
                }
            }
        }
        if (last == null && history.droppedAny()) {
            // The update may have been there once: say so rather than suggest there never was one.
            throw new IllegalArgumentException("no successful update to " + current.getSymbolicName() + " " + current.getVersion()
                    + " is in the history, which keeps only the last " + history.maxReports() + " reports ("
                    + HistorySettings.MAX_REPORTS + "): the history no longer holds the version " + current.getSymbolicName()
                    + " had before, so there is nothing to roll back to");
        }
        if (last == null) {
            throw new IllegalArgumentException("no successful update to " + current.getSymbolicName() + " " + current.getVersion()
                    + " is in the history: there is nothing to roll back to");
        }
        Path archived = runtime.archive.pathOf(last.symbolicName, Version.parseVersion(last.fromVersion));
        if (!Files.isRegularFile(archived)) {
            throw new IllegalArgumentException("the archived jar of " + last.symbolicName + " " + last.fromVersion
                    + " is missing (" + archived + ")");
        }
        UpdateRequestDTO request = new UpdateRequestDTO();
        request.bundles.add(BundleUpdateDTO.of(String.valueOf(current.getBundleId()), archived.toUri().toString()));
        request.options = options == null ? new UpdateOptionsDTO() : options;
        return request;
    }

    private Bundle currentBundle(String selector) {
        return BundleSelector.single(runtime.context, selector);
    }

    private static UpdateReportDTO newReport(String kind, long id) {
        UpdateReportDTO report = new UpdateReportDTO();
        report.id = id;
        report.kind = kind;
        report.startedAt = System.currentTimeMillis();
        // Readers (status) iterate while the update thread appends.
        report.steps = new CopyOnWriteArrayList<StepDTO>();
        return report;
    }

    private <T> T onUpdateThread(Callable<T> task) {
        Future<T> future = updates.submit(task);
        boolean interrupted = false;
        try {
            for (;;) {
                try {
                    return future.get();
                } catch (InterruptedException e) {
                    // An update is bounded by its timeouts and cannot be left half-done: wait for it, and
                    // hand the interrupt back afterwards.
                    interrupted = true;
                } catch (ExecutionException e) {
                    throw new IllegalStateException("the update thread failed: " + e.getCause(), e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public List<UpdateReportDTO> history() {
        return history.snapshot();
    }

    @Override
    public UpdateReportDTO status() {
        UpdateReportDTO current = running;
        if (current != null) {
            return current;
        }
        return history.last();
    }

    @Override
    public List<ManagedServiceDTO> managedServices() {
        List<ManagedServiceDTO> services = new ArrayList<>();
        List<UpdateReportDTO> reports = history.snapshot();
        for (ManagedService service : runtime.container.managedServices()) {
            ManagedServiceDTO dto = new ManagedServiceDTO();
            dto.identity = service.identity();
            dto.interfaces.addAll(service.interfaces());
            Bundle provider = service.provider();
            if (provider != null) {
                dto.bundle = provider.getSymbolicName();
                dto.bundleId = provider.getBundleId();
                dto.version = provider.getVersion().toString();
            }
            dto.callsInFlight = service.callsInFlight();
            dto.callsServed = service.callsServed();
            dto.lastUpdateId = lastUpdateOf(service.identity(), reports);
            services.add(dto);
        }
        return services;
    }

    private static long lastUpdateOf(String identity, List<UpdateReportDTO> reports) {
        for (int i = reports.size() - 1; i >= 0; i--) {
            UpdateReportDTO report = reports.get(i);
            if (UpdateReportDTO.SUCCEEDED.equals(report.outcome) && report.plan != null) {
                for (ServicePlanDTO service : report.plan.services) {
                    if (identity.equals(service.identity)) {
                        return report.id;
                    }
                }
            }
        }
        return 0L;
    }

    void close() {
        updates.shutdownNow();
        runtime.close();
    }

    /** Finishes, at start, an update that a framework stop interrupted. */
    static final class JournalRecovery {
        private final org.osgi.framework.BundleContext context;

        JournalRecovery(org.osgi.framework.BundleContext context) {
            this.context = context;
        }

        void resolve(UpdateReportDTO report) {
            boolean swapped = false;
            String lastStep = "start";
            for (StepDTO step : report.steps) {
                lastStep = step.name;
                swapped |= "swap".equals(step.name) && StepDTO.OK.equals(step.status);
            }
            List<String> problems = new ArrayList<>();
            for (BundlePlanDTO bundle : report.plan == null ? List.<BundlePlanDTO>of() : report.plan.bundles) {
                long loser = swapped ? bundle.fromBundleId : bundle.toBundleId;
                Bundle installed = loser == 0L ? null : context.getBundle(loser);
                if (installed != null) {
                    try {
                        installed.uninstall();
                    } catch (BundleException e) {
                        problems.add("bundle " + loser + " could not be removed: " + e.getMessage());
                    }
                }
            }
            report.outcome = swapped ? UpdateReportDTO.SUCCEEDED : UpdateReportDTO.FAILED;
            report.failedStep = swapped ? null : lastStep;
            report.message = (swapped
                    ? "the framework stopped after the swap; the old version was removed at restart"
                    : "the framework stopped during step " + lastStep + ", before the swap; the new version was removed at restart"
                            + " and the old one serves")
                    + (problems.isEmpty() ? "" : "; " + String.join("; ", problems));
            report.finishedAt = System.currentTimeMillis();
        }
    }
}
