package org.graft.update.internal.transaction;

import org.graft.container.ServiceContainer;
import org.graft.update.internal.journal.BundleArchive;
import org.graft.update.internal.journal.Journal;
import org.graft.update.internal.planning.FeatureSource;
import org.graft.update.internal.planning.UpdatePlanner;
import org.osgi.framework.BundleContext;
import org.osgi.framework.wiring.FrameworkWiring;

/**
 * What every transaction works with, owned by the update manager: the framework, the container, the
 * planner, the journal and archive, and the two threads a transaction may hand work to (the state
 * transfer, and the late retirement of versions whose calls outlived their update).
 */
public final class UpdateEnvironment implements AutoCloseable {
    private final BundleContext context;
    private final ServiceContainer container;
    private final UpdatePlanner planner;
    private final Journal journal;
    private final StateTransfers transfers = new StateTransfers();
    private final Retirement retirement;
    private final UpdateObserver observer;

    public UpdateEnvironment(BundleContext context, ServiceContainer container, Journal journal, BundleArchive archive,
            Provisioning provisioning, FeatureSource features, UpdateObserver observer) {
        this.observer = observer;
        this.context = context;
        this.container = container;
        this.planner = new UpdatePlanner(context, container, features);
        this.journal = journal;
        this.retirement = new Retirement(context, container, archive, context.getBundle(0).adapt(FrameworkWiring.class),
                context.getDataFile("carriers").toPath(), provisioning);
    }

    BundleContext context() {
        return context;
    }

    ServiceContainer container() {
        return container;
    }

    public UpdatePlanner planner() {
        return planner;
    }

    Journal journal() {
        return journal;
    }

    StateTransfers transfers() {
        return transfers;
    }

    UpdateObserver observer() {
        return observer;
    }

    Retirement retirement() {
        return retirement;
    }

    /**
     * Uninstalls the package carriers nothing is wired to any more (after a restart, say); on the
     * update thread. Returns what was done, empty if nothing.
     */
    public String pruneCarriers() throws InterruptedException {
        return retirement.carriers().prune();
    }

    @Override
    public void close() {
        transfers.close();
        retirement.close();
    }
}
