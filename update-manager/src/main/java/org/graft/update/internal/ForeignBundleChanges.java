package org.graft.update.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.graft.container.ServiceContainer;
import org.graft.update.internal.journal.BundleArchive;
import org.graft.update.internal.planning.BundleSource;
import org.graft.update.internal.transaction.Provisioning;
import org.graft.update.internal.transaction.Provisioning.ServedVersion;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleListener;

/**
 * What other channels than Graft's (Karaf's {@code bundle:update}, FileInstall's {@code deploy/}, a
 * plain {@code bundle:install}) do to managed bundles, followed:
 * <ul>
 * <li>A managed bundle updated in place ({@code Bundle.update}), which the container held its services
 * across: the provisioning system is told that the new revision serves, as after an update of Graft's
 * own. Otherwise Karaf's features service, which still counts the feature's original version, would
 * replace the updated bundle by it at its next deployment. Graft itself never updates a bundle in
 * place, so every such event is someone else's.
 * <li>A newer version of a managed bundle started beside the one that serves: applied as an update of
 * it ({@link UpdateManagerImpl#adoptLater}), instead of waiting hidden behind it.
 * </ul>
 */
final class ForeignBundleChanges implements BundleListener {
    private static final System.Logger LOG = Logs.get("org.graft.update.karaf");

    private final ServiceContainer container;
    private final BundleArchive archive;
    private final Provisioning provisioning;
    private final UpdateManagerImpl manager;

    ForeignBundleChanges(ServiceContainer container, BundleArchive archive, Provisioning provisioning, UpdateManagerImpl manager) {
        this.container = container;
        this.archive = archive;
        this.provisioning = provisioning;
        this.manager = manager;
    }

    @Override
    public void bundleChanged(BundleEvent event) {
        Bundle bundle = event.getBundle();
        if (!container.isManaged(bundle)) {
            return;
        }
        if (event.getType() == BundleEvent.UPDATED) {
            manager.onUpdateThread(() -> tell(bundle));
        } else if (event.getType() == BundleEvent.STARTED) {
            manager.adoptLater(bundle);
        }
    }

    private void tell(Bundle bundle) {
        String what = bundle.getSymbolicName() + " " + bundle.getVersion() + " (id " + bundle.getBundleId() + ")";
        try {
            if (bundle.getState() == Bundle.UNINSTALLED) {
                return;
            }
            // The jar as the bundle now is: the update's own stream is gone with the update.
            Path jar = archive.archive(bundle);
            BundleSource source = BundleSource.parse(jar.toUri().toString(), Files.readAllBytes(jar));
            String told = provisioning.served(List.of(new ServedVersion(bundle.getSymbolicName(), null, bundle.getLocation(),
                    false, bundle, source)));
            if (!told.isEmpty()) {
                LOG.log(System.Logger.Level.INFO, "Graft: " + what + " was updated in place; " + told);
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Graft could not tell Karaf's features service that " + what
                    + " was updated in place: " + e.getMessage(), e);
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "Graft: " + e.getMessage(), e);
        }
    }
}
