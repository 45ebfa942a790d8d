package org.graft.update.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.graft.container.ManagedService;
import org.graft.container.ServiceContainer;
import org.graft.container.internal.log.Logs;
import org.graft.update.UpdateManager;
import org.graft.update.UpdateProgress;
import org.graft.update.dto.BundleUpdateDTO;
import org.graft.update.dto.ManagedServiceDTO;
import org.graft.update.dto.UpdateOptionsDTO;
import org.graft.update.dto.UpdatePlanDTO;
import org.graft.update.dto.UpdateReportDTO;
import org.graft.update.dto.UpdateRequestDTO;
import org.graft.update.internal.config.JarPolicy;
import org.graft.update.internal.journal.BundleArchive;
import org.graft.update.internal.journal.Journal;
import org.graft.update.internal.journal.JournalRecovery;
import org.graft.update.internal.journal.ReportHistory;
import org.graft.update.internal.planning.FeatureSource;
import org.graft.update.internal.planning.Refusal;
import org.graft.update.internal.planning.Selection;
import org.graft.update.internal.planning.RollbackSelector;
import org.graft.update.internal.transaction.Provisioning;
import org.graft.update.internal.transaction.UpdateEnvironment;
import org.graft.update.internal.transaction.UpdateObserver;
import org.graft.update.internal.transaction.UpdateTransaction;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/**
 * The {@link UpdateManager}: gives each update, rollback and dry run an id and a transaction, runs it
 * on the {@link UpdateThread}, and keeps its report in the history.
 */
final class UpdateManagerImpl implements UpdateManager, AutoCloseable {
    private static final System.Logger LOG = Logs.get("org.graft.update.journal");
    private static final System.Logger CONFIG_LOG = Logs.get("org.graft.update.config");

    private final BundleContext context;
    private final ServiceContainer container;
    private final Journal journal;
    private final UpdateEnvironment environment;
    private final UpdateThread thread = new UpdateThread();
    /** The last finished updates, oldest first. Appended by the update thread only. */
    private final ReportHistory history;
    private final RollbackSelector rollbacks;
    private final BundleArchive archive;
    /** The updates that recovery resolved at this start, until the watch folder has looked at them; update thread only. */
    private final List<UpdateReportDTO> interrupted = new ArrayList<>();
    /** The update running now, or null. Written by the update thread. */
    private volatile UpdateTransaction running;
    /** The last id given out; only touched on the update thread. */
    private long lastId;

    UpdateManagerImpl(BundleContext context, ServiceContainer container, Journal journal, BundleArchive archive, int maxReports,
            Provisioning provisioning, FeatureSource features, UpdateObserver observer) throws IOException {
        this.context = context;
        this.container = container;
        this.journal = journal;
        this.environment = new UpdateEnvironment(context, container, journal, archive, provisioning, features, observer);
        this.history = new ReportHistory(journal, archive, maxReports);
        this.rollbacks = new RollbackSelector(environment.planner(), history, archive);
        this.archive = archive;
        for (UpdateReportDTO report : history.snapshot()) {
            lastId = Math.max(lastId, report.id);
        }
    }

    /** Resolves updates that a stop of the framework interrupted; runs before any new update. */
    void recover() {
        thread.submit(() -> {
            try {
                String pruned = environment.pruneCarriers();
                if (!pruned.isEmpty()) {
                    LOG.log(System.Logger.Level.INFO, "Graft at start: " + pruned);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            for (UpdateReportDTO report : history.snapshot()) {
                if (UpdateReportDTO.IN_PROGRESS.equals(report.outcome)) {
                    new JournalRecovery(context, archive).resolve(report);
                    journal.write(report);
                    history.replace(report);
                    interrupted.add(report);
                    LOG.log(System.Logger.Level.WARNING, "Graft update " + report.id + " was interrupted by a framework stop: "
                            + report.message);
                }
            }
        });
    }

    /**
     * The updates that a framework stop interrupted and recovery resolved at this start, handed out
     * once (the first watch folder to start sets their jars aside). Waits for recovery to be done.
     */
    List<UpdateReportDTO> takeInterrupted() {
        return thread.call(() -> {
            List<UpdateReportDTO> taken = List.copyOf(interrupted);
            interrupted.clear();
            return taken;
        });
    }

    /**
     * A newer version of a managed bundle that someone else installed and started beside the version
     * that serves (FileInstall, for a jar dropped into Karaf's {@code deploy/}): its services would wait
     * hidden behind the running ones. It is applied as an update of that running version instead, on
     * the update thread, once the updates asked before it are done (Graft's own new versions start
     * during their update, and serve or are gone by then).
     */
    void adoptLater(Bundle standby) {
        thread.submit(() -> {
            Bundle running = servingPredecessor(standby);
            if (running == null) {
                return;
            }
            String what = standby.getSymbolicName() + " " + standby.getVersion() + " (id " + standby.getBundleId() + ", "
                    + standby.getLocation() + ")";
            LOG.log(System.Logger.Level.INFO, "Graft applies " + what + ", installed beside " + running.getSymbolicName() + " "
                    + running.getVersion() + " (id " + running.getBundleId() + ") which serves, as an update of it");
            UpdateRequestDTO request = new UpdateRequestDTO();
            request.bundles.add(BundleUpdateDTO.of(String.valueOf(running.getBundleId()), standby.getLocation()));
            request.options.channel = UpdateOptionsDTO.CHANNEL_DEPLOY;
            selectThenApply(UpdateReportDTO.UPDATE, request.options, () -> environment.planner().select(request),
                    UpdateProgress.NONE);
        });
    }

    /** The lower version of the same bundle whose managed services serve, if {@code standby} serves none. */
    private Bundle servingPredecessor(Bundle standby) {
        if (standby.getState() != Bundle.ACTIVE || !container.isManaged(standby)) {
            return null;
        }
        Bundle predecessor = null;
        for (ManagedService service : container.managedServices()) {
            Bundle provider = service.provider();
            if (provider == null) {
                continue;
            }
            if (provider.getBundleId() == standby.getBundleId()) {
                return null;
            }
            if (provider.getSymbolicName().equals(standby.getSymbolicName()) && provider.getVersion().compareTo(standby.getVersion()) < 0) {
                predecessor = provider;
            }
        }
        return predecessor;
    }

    /** Runs {@code task} on the update thread, after the updates asked before it. */
    void onUpdateThread(Runnable task) {
        thread.submit(task);
    }

    JarPolicy jarPolicy() {
        return environment.planner().jarPolicy();
    }

    /** Which locations requests may name and how large a jar may be, from now on. */
    void jarPolicy(JarPolicy policy) {
        if (!policy.equals(environment.planner().jarPolicy())) {
            CONFIG_LOG.log(System.Logger.Level.INFO, "Graft updates read " + policy);
        }
        environment.planner().jarPolicy(policy);
    }

    int maxReports() {
        return history.maxReports();
    }

    /** Keeps the last {@code maxReports} reports from now on; a smaller bound drops the oldest at once. */
    void maxReports(int maxReports) {
        thread.submit(() -> history.maxReports(maxReports));
    }

    @Override
    public UpdatePlanDTO plan(UpdateRequestDTO request) {
        return thread.call(() -> new UpdateTransaction(environment, 0L, UpdateReportDTO.UPDATE, optionsOf(request),
                () -> environment.planner().select(request), UpdateProgress.NONE).dryRun());
    }

    /**
     * The request is selected (its bundles found, its jars read and checked) before the update gets an
     * id: a request that is simply invalid (a missing jar, an unknown bundle or option) is rejected
     * without a record, so that such mistakes never push real updates out of the bounded history that
     * rollbacks need.
     */
    @Override
    public UpdateReportDTO update(UpdateRequestDTO request, UpdateProgress progress) {
        return thread.call(() -> selectThenApply(UpdateReportDTO.UPDATE, optionsOf(request),
                () -> environment.planner().select(request), progress));
    }

    @Override
    public UpdateReportDTO rollback(String bundle, UpdateOptionsDTO options, UpdateProgress progress) {
        return thread.call(() -> selectThenApply(UpdateReportDTO.ROLLBACK, options, () -> rollbacks.select(bundle, options),
                progress));
    }

    private UpdateReportDTO selectThenApply(String kind, UpdateOptionsDTO options, UpdateTransaction.Selector selector,
            UpdateProgress progress) {
        Selection selection;
        try {
            selection = selector.select();
        } catch (Refusal refusal) {
            return UpdateTransaction.rejected(environment, kind, options, refusal);
        }
        return apply(new UpdateTransaction(environment, ++lastId, kind, options, () -> selection, progress));
    }

    private static UpdateOptionsDTO optionsOf(UpdateRequestDTO request) {
        return request == null ? null : request.options;
    }

    private UpdateReportDTO apply(UpdateTransaction transaction) {
        running = transaction;
        try {
            UpdateReportDTO report = transaction.run();
            history.add(report);
            return report;
        } finally {
            running = null;
        }
    }

    @Override
    public List<UpdateReportDTO> history() {
        return history.snapshot();
    }

    @Override
    public UpdateReportDTO status() {
        UpdateTransaction current = running;
        return current != null ? current.snapshot() : history.last();
    }

    @Override
    public List<ManagedServiceDTO> managedServices() {
        List<ManagedServiceDTO> services = new ArrayList<>();
        for (ManagedService service : container.managedServices()) {
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
            dto.link = service.link();
            dto.lastUpdateId = history.lastSucceededChangeOf(service.identity());
            services.add(dto);
        }
        return services;
    }

    @Override
    public void close() {
        thread.close();
        environment.close();
    }
}
