package org.graft.update.internal;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.graft.container.ServiceContainer;
import org.osgi.framework.BundleContext;
import org.osgi.framework.wiring.FrameworkWiring;

/**
 * What every update transaction works with, owned by the update manager. State transfers run on a
 * thread of their own so that a transformer that hangs can be abandoned: its thread is interrupted
 * and replaced, and the update aborts on time.
 */
final class UpdateRuntime {
    final BundleContext context;
    final ServiceContainer container;
    final FrameworkWiring wiring;
    final Journal journal;
    final BundleArchive archive;
    final BundleRefresher refresher;
    /** Only touched from the update thread. */
    private ExecutorService transfers = newTransferExecutor();

    UpdateRuntime(BundleContext context, ServiceContainer container, Journal journal, BundleArchive archive) {
        this.context = context;
        this.container = container;
        this.wiring = context.getBundle(0).adapt(FrameworkWiring.class);
        this.journal = journal;
        this.archive = archive;
        this.refresher = new BundleRefresher(wiring);
    }

    UpdatePlanner planner() {
        return new UpdatePlanner(context, container, wiring);
    }

    ExecutorService transfers() {
        return transfers;
    }

    /** The current transfer thread is stuck in a transformer: interrupt it and use a fresh one. */
    void abandonTransfers() {
        transfers.shutdownNow();
        transfers = newTransferExecutor();
    }

    void close() {
        transfers.shutdownNow();
    }

    private static ExecutorService newTransferExecutor() {
        return Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "graft-state-transfer");
            thread.setDaemon(true);
            return thread;
        });
    }
}
