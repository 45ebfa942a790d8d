package org.graft.update.internal;

import java.lang.System.Logger.Level;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.graft.container.ServiceContainer;
import org.graft.container.Switchover;
import org.osgi.framework.BundleContext;
import org.osgi.framework.wiring.FrameworkWiring;

/**
 * What every update transaction works with, owned by the update manager. State transfers run on a
 * thread of their own so that a transformer that hangs can be abandoned: its thread is interrupted
 * and replaced, and the update aborts on time.
 */
final class UpdateRuntime {
    private static final System.Logger LOG = System.getLogger("org.graft.update");
    private static final long RETIREMENT_HOURS = 1;

    final BundleContext context;
    final ServiceContainer container;
    final FrameworkWiring wiring;
    final Journal journal;
    final BundleArchive archive;
    final BundleRefresher refresher;
    /** Only touched from the update thread. */
    private ExecutorService transfers = newTransferExecutor();
    /** Retires old versions whose calls outlived their update (coexist strategy). */
    private final ExecutorService retirements = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "graft-retirement");
        thread.setDaemon(true);
        return thread;
    });

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

    /** Retires {@code olds} once no call runs on them any more; gives up, logging it, after {@value #RETIREMENT_HOURS} h. */
    void retireWhenDrained(String olds, Switchover switchover, Callable<String> retire) {
        retirements.submit(() -> {
            try {
                if (switchover.awaitRetiredQuiescence(RETIREMENT_HOURS, TimeUnit.HOURS)) {
                    LOG.log(Level.INFO, "Graft retired " + olds + " once its last calls ended: " + retire.call());
                } else {
                    LOG.log(Level.ERROR, "Graft left " + olds + " installed: calls still ran on it " + RETIREMENT_HOURS
                            + " h after its update. Uninstall it once it is idle.");
                }
            } catch (InterruptedException e) {
                LOG.log(Level.WARNING, "Graft's update manager stopped before " + olds + " could be retired: it stays installed");
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                LOG.log(Level.ERROR, "Graft could not retire " + olds + ": " + e, e);
            }
        });
    }

    void close() {
        transfers.shutdownNow();
        retirements.shutdownNow();
    }

    private static ExecutorService newTransferExecutor() {
        return Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "graft-state-transfer");
            thread.setDaemon(true);
            return thread;
        });
    }
}
