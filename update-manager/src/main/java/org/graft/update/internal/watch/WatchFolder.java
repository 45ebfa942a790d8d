package org.graft.update.internal.watch;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.graft.container.ServiceContainer;
import org.graft.container.internal.log.Logs;
import org.graft.update.internal.planning.BundleSource;
import org.graft.update.UpdateManager;
import org.graft.update.dto.BundleUpdateDTO;
import org.graft.update.dto.UpdateOptionsDTO;
import org.graft.update.dto.UpdateReportDTO;
import org.graft.update.dto.UpdateRequestDTO;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;

/**
 * A folder of its own (not Karaf's {@code deploy/}) where a new version of a managed bundle, dropped
 * as a jar, is applied as a dynamic update through the {@link UpdateManager}, like the shell does.
 *
 * <p>A jar is read only once its size and modification time have stayed the same over
 * {@value #STABLE_SCANS} scans, so a copy in progress is never read (copying to another name and
 * renaming is instant and safe too). Then: a newer version of an installed managed bundle is applied as
 * an update; a bundle not installed at all is installed and started; anything else (not a jar, not a
 * bundle, same or lower version, not managed, a failed update) is moved to {@code failed/} with a
 * {@code .error.txt} beside it, and nothing running changes. Applied jars move to {@code applied/}, so a
 * restart does not apply them again (and a jar left behind by a crash is not newer any more).
 */
final class WatchFolder implements AutoCloseable {
    static final String APPLIED = "applied";
    static final String FAILED = "failed";
    static final int STABLE_SCANS = 2;
    private static final System.Logger LOG = Logs.get("org.graft.update.watch");

    private final Path folder;
    private final long intervalMillis;
    private final BundleContext context;
    private final ServiceContainer container;
    private final UpdateManager updates;
    private final ScheduledExecutorService scanner;
    private final StableFiles stableFiles = new StableFiles(STABLE_SCANS);

    WatchFolder(Path folder, long intervalMillis, BundleContext context, ServiceContainer container, UpdateManager updates) {
        this.folder = folder;
        this.intervalMillis = intervalMillis;
        this.context = context;
        this.container = container;
        this.updates = updates;
        this.scanner = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "graft-watch-folder");
            thread.setDaemon(true);
            return thread;
        });
    }

    void start() throws IOException {
        Files.createDirectories(folder.resolve(APPLIED));
        Files.createDirectories(folder.resolve(FAILED));
        scanner.scheduleWithFixedDelay(this::scanAndKeepGoing, 0L, intervalMillis, TimeUnit.MILLISECONDS);
        LOG.log(Level.INFO, "Graft watch folder " + folder + " is watched every " + intervalMillis + " ms");
    }

    Path folder() {
        return folder;
    }

    private void scanAndKeepGoing() {
        try {
            scan();
        } catch (IOException | RuntimeException e) {
            // A periodic task that throws is never run again: report, and scan again next time.
            LOG.log(Level.ERROR, "Graft watch folder " + folder + ": a scan failed, the next one retries: " + e, e);
        }
    }

    void scan() throws IOException {
        List<Path> jars = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(folder, "*.jar")) {
            for (Path path : stream) {
                if (Files.isRegularFile(path) && !path.getFileName().toString().startsWith(".")) {
                    jars.add(path);
                }
            }
        }
        for (Path jar : stableFiles.scan(jars)) {
            handle(jar);
        }
    }

    private void handle(Path jar) throws IOException {
        String location = jar.toUri().toString();
        BundleSource source;
        try {
            source = BundleSource.parse(location, Files.readAllBytes(jar));
        } catch (IllegalArgumentException e) {
            setAside(jar, e.getMessage() + ". Nothing running changed.");
            return;
        }
        List<Bundle> installed = new ArrayList<>();
        for (Bundle bundle : context.getBundles()) {
            if (source.symbolicName().equals(bundle.getSymbolicName())) {
                installed.add(bundle);
            }
        }
        if (installed.size() > 1) {
            // Older versions may stay installed, stopped, as exporters of the API their consumers use.
            List<Bundle> serving = installed.stream().filter(this::servesManagedServices).toList();
            if (serving.size() == 1) {
                installed = serving;
            }
        }
        if (installed.isEmpty()) {
            install(jar, source);
        } else if (installed.size() > 1) {
            setAside(jar, "several bundles " + source.symbolicName() + " are installed; update one of them by id with dsu:update."
                    + " Nothing running changed.");
        } else if (!container.isManaged(installed.get(0))) {
            setAside(jar, source.symbolicName() + " is installed but not managed by Graft: it cannot be updated dynamically"
                    + " (use bundle:update or deploy/). Nothing running changed.");
        } else if (source.version().compareTo(installed.get(0).getVersion()) <= 0) {
            setAside(jar, source.symbolicName() + " " + source.version() + " is not newer than the running "
                    + installed.get(0).getVersion() + ". Nothing running changed.");
        } else {
            update(jar, installed.get(0));
        }
    }

    private boolean servesManagedServices(Bundle bundle) {
        return container.managedServices().stream().anyMatch(service -> service.provider() != null
                && service.provider().getBundleId() == bundle.getBundleId());
    }

    private void update(Path jar, Bundle running) throws IOException {
        UpdateRequestDTO request = new UpdateRequestDTO();
        request.options.channel = UpdateOptionsDTO.CHANNEL_WATCH_FOLDER;
        request.bundles.add(BundleUpdateDTO.of(String.valueOf(running.getBundleId()), jar.toUri().toString()));
        UpdateReportDTO report = updates.update(request);
        if (UpdateReportDTO.SUCCEEDED.equals(report.outcome)) {
            move(jar, APPLIED);
            LOG.log(Level.INFO, "Graft watch folder applied " + jar.getFileName() + ": update " + report.id + " " + report.message);
        } else {
            setAside(jar, "update " + report.id + " " + report.message);
        }
    }

    private void install(Path jar, BundleSource source) throws IOException {
        Bundle bundle = null;
        try {
            bundle = context.installBundle(jar.toUri().toString(), source.stream());
            bundle.start();
            move(jar, APPLIED);
            LOG.log(Level.INFO, "Graft watch folder installed and started " + source.symbolicName() + " " + source.version());
        } catch (BundleException | IllegalStateException e) {
            String undone = "";
            if (bundle != null) {
                try {
                    bundle.uninstall();
                    undone = " It was uninstalled again.";
                } catch (BundleException | IllegalStateException uninstall) {
                    undone = " It could not be uninstalled again (" + uninstall.getMessage() + "): remove bundle "
                            + bundle.getBundleId() + " by hand.";
                }
            }
            setAside(jar, source.symbolicName() + " " + source.version() + " could not be installed and started: " + e.getMessage() + "."
                    + undone);
        }
    }

    private void setAside(Path jar, String reason) throws IOException {
        Path target = move(jar, FAILED);
        Files.writeString(target.resolveSibling(target.getFileName() + ".error.txt"),
                Instant.now() + " " + reason + System.lineSeparator(), StandardCharsets.UTF_8);
        LOG.log(Level.WARNING, "Graft watch folder set " + jar.getFileName() + " aside: " + reason);
    }

    private Path move(Path jar, String subfolder) throws IOException {
        return Files.move(jar, folder.resolve(subfolder).resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public void close() {
        scanner.shutdownNow();
    }
}
