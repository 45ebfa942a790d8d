package org.graft.update.internal.transaction;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.graft.container.internal.log.Logs;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.wiring.FrameworkWiring;

/**
 * Lets go of retired bundles' class loaders by refreshing them, but only when no other bundle is
 * wired to them: a refresh restarts every bundle in the dependency closure, and an update must not
 * restart unrelated bundles.
 */
final class BundleRefresher {
    private static final System.Logger LOG = Logs.get("org.graft.update.transaction");
    private static final long REFRESH_TIMEOUT_SECONDS = 30;

    private final FrameworkWiring wiring;

    BundleRefresher(FrameworkWiring wiring) {
        this.wiring = wiring;
    }

    /** @return what was done, for the report */
    String refreshIfAlone(List<Bundle> retired) throws InterruptedException {
        Collection<Bundle> closure = wiring.getDependencyClosure(retired);
        if (!new HashSet<>(retired).containsAll(closure)) {
            List<String> dependents = new ArrayList<>();
            for (Bundle bundle : closure) {
                if (!retired.contains(bundle)) {
                    dependents.add(bundle.getSymbolicName() + " (id " + bundle.getBundleId() + ")");
                }
            }
            return "not refreshed: " + dependents + " are wired to the retired version, which stays in memory until"
                    + " they are refreshed";
        }
        CountDownLatch refreshed = new CountDownLatch(1);
        List<String> errors = new CopyOnWriteArrayList<>();
        wiring.refreshBundles(retired, event -> {
            if (event.getType() == FrameworkEvent.ERROR) {
                LOG.log(System.Logger.Level.WARNING, "Graft: refreshing the retired " + retired + " failed for "
                        + event.getBundle(), event.getThrowable());
                errors.add(event.getBundle().getSymbolicName() + ": " + event.getThrowable());
            } else if (event.getType() == FrameworkEvent.PACKAGES_REFRESHED) {
                refreshed.countDown();
            }
        });
        if (!refreshed.await(REFRESH_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            return "refresh of the retired version did not finish within " + REFRESH_TIMEOUT_SECONDS + " s";
        }
        return errors.isEmpty() ? "retired version refreshed away" : "retired version refreshed, with errors: " + errors;
    }
}
