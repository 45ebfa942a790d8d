package org.graft.update.internal.transaction;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.graft.container.ServiceContainer;
import org.graft.container.Switchover;
import org.graft.container.internal.log.Logs;
import org.graft.update.dto.UpdateOptionsDTO;
import org.graft.update.internal.journal.BundleArchive;
import org.graft.update.internal.planning.Replacement;
import org.graft.update.internal.transaction.Provisioning.ServedVersion;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.wiring.FrameworkWiring;

/**
 * The retire step, after the swap: the next versions' other services start serving, and the replaced
 * versions are archived (for rollback), uninstalled and, where nothing else is wired to them, refreshed.
 * Under the coexist strategy, calls may still run on the replaced versions: then they go once those
 * calls end, on the {@code graft-retirement} thread, so that none of them fails.
 */
final class Retirement implements AutoCloseable {
    private static final System.Logger LOG = Logs.get("org.graft.update.transaction");
    private static final long RETIREMENT_HOURS = 1;

    private final ServiceContainer container;
    private final BundleArchive archive;
    private final BundleRefresher refresher;
    private final PackageCarriers carriers;
    private final Provisioning provisioning;
    private final ExecutorService later = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "graft-retirement");
        thread.setDaemon(true);
        return thread;
    });

    Retirement(BundleContext context, ServiceContainer container, BundleArchive archive, FrameworkWiring wiring, Path carriers,
            Provisioning provisioning) {
        this.container = container;
        this.provisioning = provisioning;
        this.archive = archive;
        this.refresher = new BundleRefresher(wiring);
        this.carriers = new PackageCarriers(context, carriers, refresher);
    }

    PackageCarriers carriers() {
        return carriers;
    }

    /** The retire step's body: a detail for the report saying what was done. */
    String retire(List<Replacement> replacements, Switchover switchover, UpdateOptionsDTO options, String feature) throws Exception {
        for (Replacement replacement : replacements) {
            container.endStaging(replacement.installed());
        }
        if (UpdateOptionsDTO.COEXIST.equals(options.strategy)
                && !switchover.awaitRetiredQuiescence(options.quiescenceTimeoutMillis, TimeUnit.MILLISECONDS)) {
            String replaced = describe(replacements);
            retireWhenDrained(replaced, switchover, replacements, feature);
            return "calls still run on " + replaced + " after " + options.quiescenceTimeoutMillis
                    + " ms: it is retired once they end";
        }
        return retireNow(replacements, feature);
    }

    /**
     * Archives each replaced version, then uninstalls it, or keeps it as a package carrier where other
     * bundles are wired to its exports; refreshes the uninstalled ones that nothing else is wired to;
     * uninstalls the carriers nothing needs any more; then tells the provisioning system which versions
     * serve now.
     */
    private String retireNow(List<Replacement> replacements, String feature) throws Exception {
        List<Bundle> replaced = new ArrayList<>();
        List<String> done = new ArrayList<>();
        List<ServedVersion> served = new ArrayList<>();
        for (Replacement replacement : replacements) {
            Bundle running = replacement.running();
            boolean installed = archived(running, done);
            carriers.serving(replacement.installed());
            // The next version itself may import the package from the running one (a substitutable export).
            List<Bundle> requirers = installed ? PackageCarriers.wiredTo(running) : List.of();
            served.add(new ServedVersion(running.getSymbolicName(), running.getVersion(), running.getLocation(),
                    !requirers.isEmpty(), replacement.installed(), replacement.selected().source()));
            if (!requirers.isEmpty()) {
                done.add(carriers.keep(running, requirers));
            } else {
                if (installed) {
                    uninstall(running, done);
                }
                replaced.add(running);
            }
        }
        if (!replaced.isEmpty()) {
            done.add(refresher.refreshIfAlone(replaced));
        }
        String pruned = carriers.prune();
        if (!pruned.isEmpty()) {
            done.add(pruned);
        }
        String told = tell(served);
        if (!told.isEmpty()) {
            done.add(told);
        }
        if (feature != null) {
            done.add(installFeature(feature));
        }
        return String.join("; ", done);
    }

    /**
     * Archives the replaced version. One that another party uninstalled since the swap can no longer be
     * read: it is reported (rollback to it needs a copy archived by an earlier update) and only refreshed.
     *
     * @return whether the version is still installed and archived
     */
    private boolean archived(Bundle running, List<String> done) throws IOException {
        try {
            if (running.getState() != Bundle.UNINSTALLED) {
                archive.archive(running);
                return true;
            }
        } catch (IllegalStateException e) {
            if (running.getState() != Bundle.UNINSTALLED) {
                throw e;
            }
        }
        Path copy = archive.pathOf(running.getSymbolicName(), running.getVersion());
        String detail = describe(running) + " was uninstalled by another party before it was retired"
                + (Files.exists(copy) ? "; an earlier update's copy of it is archived (" + copy.getFileName() + ")"
                        : ", so it was not archived and no rollback can return to it");
        LOG.log(System.Logger.Level.WARNING, "Graft: " + detail);
        done.add(detail);
        return false;
    }

    /** An uninstall that another party has just done as well is theirs, reported, not a failure. */
    private static void uninstall(Bundle running, List<String> done) throws BundleException {
        try {
            running.uninstall();
        } catch (IllegalStateException e) {
            if (running.getState() != Bundle.UNINSTALLED) {
                throw e;
            }
            done.add(describe(running) + " was uninstalled by another party while it was retired");
        }
    }

    private static String describe(Bundle bundle) {
        return bundle.getSymbolicName() + " " + bundle.getVersion() + " (id " + bundle.getBundleId() + ")";
    }

    private String installFeature(String feature) {
        try {
            return provisioning.featureServed(feature);
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "Graft: " + e.getMessage(), e);
            return e.getMessage();
        }
    }

    /**
     * A provisioning system that could not be told is reported and logged, not a failure of the step:
     * the swap is done and the next versions serve; what is at stake is its next deployment.
     */
    private String tell(List<ServedVersion> served) {
        try {
            return provisioning.served(served);
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "Graft: " + e.getMessage(), e);
            return e.getMessage();
        }
    }


    /** Gives up, logging it, after {@value #RETIREMENT_HOURS} h. */
    private void retireWhenDrained(String replaced, Switchover switchover, List<Replacement> replacements, String feature) {
        later.submit(() -> {
            try {
                if (switchover.awaitRetiredQuiescence(RETIREMENT_HOURS, TimeUnit.HOURS)) {
                    LOG.log(System.Logger.Level.INFO, "Graft retired " + replaced + " once its last calls ended: "
                            + retireNow(replacements, feature));
                } else {
                    LOG.log(System.Logger.Level.ERROR, "Graft left " + replaced + " installed: calls still ran on it "
                            + RETIREMENT_HOURS + " h after its update. Uninstall it once it is idle.");
                }
            } catch (InterruptedException e) {
                LOG.log(System.Logger.Level.WARNING, "Graft's update manager stopped before " + replaced
                        + " could be retired: it stays installed");
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                LOG.log(System.Logger.Level.ERROR, "Graft could not retire " + replaced + ": " + e, e);
            }
        });
    }

    static String describe(List<Replacement> replacements) {
        return String.join(", ", replacements.stream().map(Replacement::describeRunning).toList());
    }

    @Override
    public void close() {
        later.shutdownNow();
    }
}
