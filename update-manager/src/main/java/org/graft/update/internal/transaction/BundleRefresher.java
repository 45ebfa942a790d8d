package org.graft.update.internal.transaction;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.wiring.FrameworkWiring;

/**
 * Lets go of retired bundles' class loaders by refreshing them, but only when no other bundle is
 * wired to them: a refresh restarts every bundle in the dependency closure, and an update must not
 * restart unrelated bundles.
 */
final class BundleRefresher {
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
        wiring.refreshBundles(retired, event -> {
            if (event.getType() == FrameworkEvent.PACKAGES_REFRESHED || event.getType() == FrameworkEvent.ERROR) {
                refreshed.countDown();
            }
        });
        return refreshed.await(REFRESH_TIMEOUT_SECONDS, TimeUnit.SECONDS) ? "retired version refreshed away"
                : "refresh of the retired version did not finish within " + REFRESH_TIMEOUT_SECONDS + " s";
    }
}
