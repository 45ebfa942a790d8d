package org.graft.update.internal;

import org.graft.container.ServiceContainer;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleListener;

/**
 * What other channels than Graft's (FileInstall's {@code deploy/}, a plain {@code bundle:install -s}) do
 * to managed bundles, followed: a newer version of a managed bundle started beside the one that serves
 * is applied as an update of it ({@link UpdateManagerImpl#adoptLater}), instead of waiting hidden behind
 * it.
 */
final class ForeignBundleChanges implements BundleListener {
    private final ServiceContainer container;
    private final UpdateManagerImpl manager;

    ForeignBundleChanges(ServiceContainer container, UpdateManagerImpl manager) {
        this.container = container;
        this.manager = manager;
    }

    @Override
    public void bundleChanged(BundleEvent event) {
        Bundle bundle = event.getBundle();
        if (event.getType() == BundleEvent.STARTED && container.isManaged(bundle)) {
            manager.adoptLater(bundle);
        }
    }
}
