package org.graft.update.internal.transaction;

import java.util.ArrayList;
import java.util.List;

import org.graft.container.ServiceContainer;
import org.graft.update.internal.planning.Replacement;
import org.graft.update.internal.planning.SelectedBundle;
import org.graft.update.internal.planning.Selection;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;

/** The install step: the next versions beside the running ones, staged (nothing of them visible), not started. */
final class NextVersions {
    private NextVersions() {
    }

    /**
     * Installs each next version from the bytes already read; pushes its removal onto {@code undo}. A
     * version kept installed as a package carrier (a rollback to the version that exports the API its
     * consumers use) is staged as it is, and only stopped again by the undo. So is a next version that
     * someone else installed from the update's very location (FileInstall, from a jar dropped into
     * Karaf's {@code deploy/}): it is that bundle the update makes serve, and an undo leaves it as it
     * was found.
     */
    static List<Replacement> install(BundleContext context, ServiceContainer container, PackageCarriers carriers,
            Selection selection, long updateId, Undo undo) throws BundleException {
        return install(context, container, carriers, selection, updateId, false, undo);
    }

    /** As {@link #install(BundleContext, ServiceContainer, PackageCarriers, Selection, long, Undo)}; a dry run's are hidden. */
    static List<Replacement> install(BundleContext context, ServiceContainer container, PackageCarriers carriers,
            Selection selection, long updateId, boolean dryRun, Undo undo) throws BundleException {
        List<Replacement> replacements = new ArrayList<>();
        for (SelectedBundle selected : selection.bundles()) {
            Bundle carrier = carriers.carrierOf(selected.source().symbolicName(), selected.source().version());
            if (carrier != null) {
                undo.push("stopping the carrier " + selected.describeNext() + " (id " + carrier.getBundleId() + ") again", () -> {
                    try {
                        carrier.stop();
                    } finally {
                        container.endStaging(carrier);
                    }
                });
                container.beginStaging(carrier);
                replacements.add(new Replacement(selected, carrier));
                continue;
            }
            Bundle standby = installedStandby(context, selected);
            if (standby != null) {
                undo.push("leaving " + selected.describeNext() + " (id " + standby.getBundleId() + ") as it was found", () ->
                        container.endStaging(standby));
                container.beginStaging(standby);
                replacements.add(new Replacement(selected, standby));
                continue;
            }
            String location = selected.source().location();
            if (dryRun) {
                // marked before the install, so that not even the INSTALLED event leaves Graft
                location = DryRunInstalls.location(location);
            } else if (context.getBundle(location) != null) {
                // The framework would hand back the installed bundle of that location instead of a new one.
                location = location + "#graft-update-" + updateId;
            }
            Bundle installed = context.installBundle(location, selected.source().stream());
            undo.push("removing the new bundle " + selected.describeNext() + " (id " + installed.getBundleId() + ")", () -> {
                try {
                    installed.uninstall();
                } finally {
                    container.endStaging(installed);
                }
            });
            // Before anything can start it: from here on, every registration of the bundle is staged.
            container.beginStaging(installed);
            replacements.add(new Replacement(selected, installed));
        }
        return replacements;
    }

    /** The installed bundle, other than the running one, of the next version's name, version and location. */
    private static Bundle installedStandby(BundleContext context, SelectedBundle selected) {
        Bundle found = context.getBundle(selected.source().location());
        if (found == null || found.getBundleId() == selected.running().getBundleId()
                || !selected.source().symbolicName().equals(found.getSymbolicName())
                || !selected.source().version().equals(found.getVersion())) {
            return null;
        }
        return found;
    }
}
