package org.graft.update.internal.transaction;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.graft.container.internal.log.Logs;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Version;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.framework.wiring.BundleWire;
import org.osgi.framework.wiring.BundleWiring;

/**
 * Replaced versions kept installed, stopped, because other bundles are wired to packages they export:
 * a bundle that exports its own API package is the carrier of the very interface classes its consumers
 * (and its next versions, which import the package from it) use, and an uninstalled exporter offers
 * nothing to the next version that resolves. A carrier is uninstalled once nothing is wired to it any
 * more. Which bundles are carriers is kept in a file of the update manager's data area, so that it
 * survives restarts. Used by the update thread only.
 */
final class PackageCarriers {
    private static final System.Logger LOG = Logs.get("org.graft.update.transaction");

    private final BundleContext context;
    private final Path file;
    private final BundleRefresher refresher;
    /** Bundle ids, as {@code id symbolicName version} lines in the file. */
    private final Set<Long> carriers = new LinkedHashSet<>();

    PackageCarriers(BundleContext context, Path file, BundleRefresher refresher) {
        this.context = context;
        this.file = file;
        this.refresher = refresher;
        read();
    }

    /** The bundles other than {@code bundle} wired to packages it exports. */
    static List<Bundle> wiredTo(Bundle bundle) {
        BundleWiring wiring = bundle.adapt(BundleWiring.class);
        List<Bundle> requirers = new ArrayList<>();
        if (wiring == null) {
            return requirers;
        }
        for (BundleWire wire : wiring.getProvidedWires(PackageNamespace.PACKAGE_NAMESPACE)) {
            Bundle requirer = wire.getRequirerWiring().getBundle();
            if (requirer.getBundleId() != bundle.getBundleId() && !requirers.contains(requirer)) {
                requirers.add(requirer);
            }
        }
        return requirers;
    }

    boolean isCarrier(Bundle bundle) {
        return carriers.contains(bundle.getBundleId());
    }

    /** The carrier of exactly that version of the bundle, if one is kept (a rollback starts it again). */
    Bundle carrierOf(String symbolicName, Version version) {
        for (long id : carriers) {
            Bundle bundle = context.getBundle(id);
            if (bundle != null && symbolicName.equals(bundle.getSymbolicName()) && version.equals(bundle.getVersion())) {
                return bundle;
            }
        }
        return null;
    }

    /** Stops {@code replaced} for good and keeps it as a carrier; returns what was done, for the report. */
    String keep(Bundle replaced, List<Bundle> requirers) throws BundleException {
        replaced.stop();
        carriers.add(replaced.getBundleId());
        write();
        return replaced.getSymbolicName() + " " + replaced.getVersion() + " (id " + replaced.getBundleId()
                + ") stays installed, stopped: it exports packages that " + describe(requirers) + " are wired to";
    }

    /** {@code bundle} serves again (a rollback started its carrier): it is no carrier any more. */
    void serving(Bundle bundle) {
        if (carriers.remove(bundle.getBundleId())) {
            write();
        }
    }

    /**
     * Uninstalls the carriers nothing is wired to any more, and forgets those that are gone.
     *
     * @return what was done, for the report; empty if nothing was
     */
    String prune() throws InterruptedException {
        List<Bundle> released = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (long id : List.copyOf(carriers)) {
            Bundle carrier = context.getBundle(id);
            if (carrier == null) {
                carriers.remove(id);
            } else if (wiredTo(carrier).isEmpty()) {
                try {
                    carrier.uninstall();
                    carriers.remove(id);
                    released.add(carrier);
                } catch (BundleException | IllegalStateException e) {
                    problems.add("the carrier " + carrier.getSymbolicName() + " " + carrier.getVersion() + " (id " + id
                            + ") could not be uninstalled: " + e.getMessage());
                }
            }
        }
        write();
        String done = released.isEmpty() ? "" : "carriers nothing is wired to any more uninstalled: " + describe(released) + " ("
                + refresher.refreshIfAlone(released) + ")";
        return String.join("; ", problems.isEmpty() ? List.of(done) : problems).trim();
    }

    private static String describe(List<Bundle> bundles) {
        List<String> names = new ArrayList<>();
        for (Bundle bundle : bundles) {
            names.add(bundle.getSymbolicName() + " " + bundle.getVersion() + " (id " + bundle.getBundleId() + ")");
        }
        return names.toString();
    }

    private void read() {
        if (!Files.isRegularFile(file)) {
            return;
        }
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String[] parts = line.trim().split(" ");
                Bundle bundle = parts.length == 3 ? context.getBundle(Long.parseLong(parts[0])) : null;
                // Only the very bundle recorded: an id alone could name another bundle after a reinstall.
                if (bundle != null && bundle.getSymbolicName().equals(parts[1])
                        && bundle.getVersion().equals(Version.parseVersion(parts[2]))) {
                    carriers.add(bundle.getBundleId());
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "Graft cannot read its list of package carriers " + file + ": " + e
                    + ". Stopped replaced versions kept for their exports are not uninstalled until it is repaired.", e);
        }
    }

    private void write() {
        List<String> lines = new ArrayList<>();
        for (long id : carriers) {
            Bundle bundle = context.getBundle(id);
            if (bundle != null) {
                lines.add(id + " " + bundle.getSymbolicName() + " " + bundle.getVersion());
            }
        }
        try {
            Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
            Files.write(temporary, lines, StandardCharsets.UTF_8);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the list of package carriers " + file, e);
        }
    }
}
