package org.graft.update.internal.transaction;

import java.util.Collection;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.hooks.bundle.EventHook;
import org.osgi.framework.hooks.bundle.FindHook;

/**
 * Keeps the bundles a dry run installs to read a new version out of every other bundle's sight: their
 * events (INSTALLED, RESOLVED, UNINSTALLED) reach only the framework and Graft's own bundles, and
 * {@code getBundles()} of any other bundle does not list them. A dry run therefore tells no bundle
 * listener (Karaf's features service, FileInstall, a consumer's extender) that anything happened. Such
 * a bundle is known by its location, which is marked before it is installed, so that even its
 * INSTALLED event, delivered during {@code installBundle}, is recognised.
 */
public final class DryRunInstalls implements EventHook, FindHook {
    private static final String MARKER = "#graft-dry-run-";
    private static final AtomicLong SEQUENCE = new AtomicLong();

    /** The framework's and Graft's bundles: they see everything. */
    private final Set<Long> observers;

    public DryRunInstalls(Set<Long> observers) {
        this.observers = Set.copyOf(observers);
    }

    /** The location under which a dry run installs a new version read from {@code location}. */
    static String location(String location) {
        return location + MARKER + SEQUENCE.incrementAndGet();
    }

    static boolean isDryRun(Bundle bundle) {
        String location = bundle.getLocation();
        return location != null && location.contains(MARKER);
    }

    @Override
    public void event(BundleEvent event, Collection<BundleContext> contexts) {
        if (isDryRun(event.getBundle())) {
            contexts.removeIf(context -> !observers.contains(context.getBundle().getBundleId()));
        }
    }

    @Override
    public void find(BundleContext context, Collection<Bundle> bundles) {
        if (!observers.contains(context.getBundle().getBundleId())) {
            bundles.removeIf(DryRunInstalls::isDryRun);
        }
    }
}
