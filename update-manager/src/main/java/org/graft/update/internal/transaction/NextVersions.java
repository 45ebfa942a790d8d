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
     * consumers use) is staged as it is, and only stopped again by the undo.
     */
    static List<Replacement> install(BundleContext context, ServiceContainer container, PackageCarriers carriers,
            Selection selection, long updateId, Undo undo) throws BundleException {
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
            String location = selected.source().location();
            if (context.getBundle(location) != null) {
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
}
