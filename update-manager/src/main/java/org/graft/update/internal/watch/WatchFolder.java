package org.graft.update.internal.watch;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.graft.container.ServiceContainer;
import org.graft.container.internal.log.Logs;
import org.graft.update.internal.config.JarPolicy;
import org.graft.update.internal.config.WatchFolderSettings;
import org.graft.update.internal.planning.BundleSource;
import org.graft.update.UpdateManager;
import org.graft.update.dto.BundlePlanDTO;
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
 * <p>A file is looked at only once its size and modification time have stayed the same over
 * {@value #STABLE_SCANS} scans, so a copy in progress is never read (copying to another name and
 * renaming is instant and safe too: names ending in {@code .part}, {@code .tmp} or {@code ~}, and
 * hidden ones, are left alone). Then: a newer version of an installed managed bundle is applied as an
 * update; a bundle not installed at all is installed and started only if the settings allow it;
 * anything else (not a jar, a directory, a symbolic link, a jar above the size limit, not a bundle,
 * same or lower version, not managed, a failed update) is moved to {@code failed/} with a
 * {@code .error.txt} beside it, never over an earlier one, and nothing running changes. A jar that is
 * not complete stays where it is, with its reason in {@code failed/}, and is looked at again when it
 * changes: a slow copy becomes a good jar. Applied jars move to {@code applied/}, so a restart does
 * not apply them again; a jar whose update a framework stop interrupted is set aside at the next start
 * with that reason, never retried by itself. A file is read only up to the size limit, and a scan that
 * fails is logged and the next one runs.
 */
final class WatchFolder implements AutoCloseable {
    static final String APPLIED = "applied";
    static final String FAILED = "failed";
    static final int STABLE_SCANS = 2;
    private static final String ERROR_SUFFIX = ".error.txt";
    private static final System.Logger LOG = Logs.get("org.graft.update.watch");
    private static final List<String> IN_PROGRESS_SUFFIXES = List.of(".part", ".tmp", ".partial", ".crdownload", "~");

    private final Path folder;
    private final long intervalMillis;
    private final boolean installNew;
    private final BundleContext context;
    private final ServiceContainer container;
    private final UpdateManager updates;
    private final Supplier<JarPolicy> jarPolicy;
    private final Supplier<List<UpdateReportDTO>> interruptedUpdates;
    private final ScheduledExecutorService scanner;
    private final StableFiles stableFiles = new StableFiles(STABLE_SCANS);
    /** Incomplete jars left where they are, each with the file in {@code failed/} that says why; scanner thread only. */
    private final Map<Path, Path> leftInPlace = new HashMap<>();
    /** Whether the jars of updates a framework stop interrupted were looked for; scanner thread only. */
    private boolean interruptedSetAside;

    WatchFolder(WatchFolderSettings settings, BundleContext context, ServiceContainer container, UpdateManager updates,
            Supplier<JarPolicy> jarPolicy, Supplier<List<UpdateReportDTO>> interruptedUpdates) {
        this.folder = settings.folder();
        this.intervalMillis = settings.intervalMillis();
        this.installNew = settings.installNew();
        this.context = context;
        this.container = container;
        this.updates = updates;
        this.jarPolicy = jarPolicy;
        this.interruptedUpdates = interruptedUpdates;
        this.scanner = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "graft-watch-folder");
            thread.setDaemon(true);
            return thread;
        });
    }

    void start() throws IOException {
        Files.createDirectories(folder.resolve(APPLIED));
        Files.createDirectories(folder.resolve(FAILED));
        warnIfOthersCanWrite();
        scanner.scheduleWithFixedDelay(this::scanAndKeepGoing, 0L, intervalMillis, TimeUnit.MILLISECONDS);
        LOG.log(Level.INFO, "Graft watch folder " + folder + " is watched every " + intervalMillis + " ms"
                + (installNew ? "; bundles not installed yet are installed" : ""));
    }

    /** Whoever can write the folder can replace a running service: say so if that is not only Karaf's own user. */
    private void warnIfOthersCanWrite() {
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(folder);
            if (permissions.contains(PosixFilePermission.GROUP_WRITE) || permissions.contains(PosixFilePermission.OTHERS_WRITE)) {
                LOG.log(Level.WARNING, "Graft watch folder " + folder + " is writable by users other than its owner ("
                        + java.nio.file.attribute.PosixFilePermissions.toString(permissions) + "): any of them can replace a"
                        + " running service. Make it writable by Karaf's user only (chmod go-w).");
            }
        } catch (UnsupportedOperationException | IOException e) {
            LOG.log(Level.DEBUG, "Graft watch folder " + folder + ": its permissions cannot be read here: " + e);
        }
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
        if (!interruptedSetAside) {
            interruptedSetAside = true;
            setAsideInterrupted();
        }
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(folder)) {
            for (Path path : stream) {
                String name = path.getFileName().toString();
                if (name.startsWith(".") || IN_PROGRESS_SUFFIXES.stream().anyMatch(name::endsWith)
                        || path.equals(folder.resolve(APPLIED)) || path.equals(folder.resolve(FAILED))) {
                    continue;
                }
                if (Files.isSymbolicLink(path)) {
                    setAside(path, "it is a symbolic link (to " + Files.readSymbolicLink(path) + "): the watch folder reads only"
                            + " regular files inside it. Nothing running changed.");
                } else if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                    setAside(path, "it is a directory: the watch folder takes jars only. Nothing running changed.");
                } else if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
                    files.add(path);
                } else {
                    setAside(path, "it is not a regular file: the watch folder takes jars only. Nothing running changed.");
                }
            }
        }
        // a copy left in place and then removed needs no reason kept for it any more
        leftInPlace.keySet().retainAll(files);
        for (Path file : stableFiles.scan(files)) {
            handleAndKeepGoing(file);
        }
    }

    /** One file's trouble (it vanished, it cannot be moved) is logged; the others are still looked at. */
    private void handleAndKeepGoing(Path file) {
        try {
            handle(file);
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.ERROR, "Graft watch folder " + folder + ": " + file.getFileName() + " could not be handled: " + e
                    + ". It is looked at again when it changes.", e);
        }
    }

    /**
     * At the first scan: the jars whose update a framework stop interrupted (recovery resolved them at
     * this start) are not applied again by themselves, since the update may be what stopped it.
     */
    private void setAsideInterrupted() throws IOException {
        for (UpdateReportDTO report : interruptedUpdates.get()) {
            if (report.options == null || !UpdateOptionsDTO.CHANNEL_WATCH_FOLDER.equals(report.options.channel) || report.plan == null) {
                continue;
            }
            for (BundlePlanDTO bundle : report.plan.bundles) {
                Path jar = jarOf(bundle.location);
                if (jar == null || !Files.isRegularFile(jar, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                if (UpdateReportDTO.SUCCEEDED.equals(report.outcome)) {
                    move(jar, APPLIED);
                    LOG.log(Level.INFO, "Graft watch folder: " + jar.getFileName() + " was applied by update " + report.id
                            + ", which a framework stop interrupted after the swap: moved to " + APPLIED + "/");
                } else {
                    setAside(jar, "its update " + report.id + " was interrupted by a framework stop (" + report.message + ");"
                            + " it is not applied again by itself, in case the update is what stopped the framework: drop it"
                            + " again to retry.");
                }
            }
        }
    }

    /** The jar in this folder that {@code location} names, or null. */
    private Path jarOf(String location) {
        if (location == null || !location.startsWith("file:")) {
            return null;
        }
        try {
            Path jar = Path.of(URI.create(location));
            return folder.equals(jar.getParent()) ? jar : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private void handle(Path file) throws IOException {
        if (!file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".jar")) {
            setAside(file, "it is not a jar (its name does not end in .jar): the watch folder takes jars only. Nothing running changed.");
            return;
        }
        String location = file.toUri().toString();
        JarPolicy policy = jarPolicy.get();
        if (Files.size(file) > policy.maxBytes()) {
            setAside(file, BundleSource.tooLarge(location, policy.maxBytes()) + ". Nothing running changed.");
            return;
        }
        BundleSource source;
        try {
            source = BundleSource.read(location, policy);
        } catch (BundleSource.IncompleteJarException e) {
            stableFiles.refused(file);
            String reason = e.getMessage() + ". It stays here and is looked at again when it changes. Nothing running changed.";
            Path reasonFile = leftInPlace.get(file);
            if (reasonFile == null) {
                Path free = FreeNames.in(folder.resolve(FAILED), file.getFileName().toString(), ERROR_SUFFIX);
                reasonFile = free.resolveSibling(free.getFileName() + ERROR_SUFFIX);
                leftInPlace.put(file, reasonFile);
            }
            writeReason(reasonFile, reason);
            LOG.log(Level.WARNING, "Graft watch folder left " + file.getFileName() + " in place: " + reason);
            return;
        } catch (IllegalArgumentException e) {
            setAside(file, e.getMessage() + ". Nothing running changed.");
            return;
        }
        forgetLeftInPlace(file);
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
            if (installNew) {
                install(file, source);
            } else {
                setAside(file, source.symbolicName() + " is not installed: the watch folder updates installed managed bundles"
                        + " (set " + WatchFolderSettings.INSTALL_NEW + "=true to have it install new ones). Nothing running changed.");
            }
        } else if (installed.size() > 1) {
            setAside(file, "several bundles " + source.symbolicName() + " are installed; update one of them by id with dsu:update."
                    + " Nothing running changed.");
        } else if (!container.isManaged(installed.get(0))) {
            setAside(file, source.symbolicName() + " is installed but not managed by Graft: it cannot be updated dynamically"
                    + " (use bundle:update or deploy/). Nothing running changed.");
        } else if (source.version().compareTo(installed.get(0).getVersion()) <= 0) {
            setAside(file, source.symbolicName() + " " + source.version() + " is not newer than the running "
                    + installed.get(0).getVersion() + ". Nothing running changed.");
        } else {
            update(file, installed.get(0));
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

    /** A reason left by an earlier look at this very file (a copy that was not complete then) no longer holds. */
    private void forgetLeftInPlace(Path file) throws IOException {
        Path reasonFile = leftInPlace.remove(file);
        if (reasonFile != null) {
            Files.deleteIfExists(reasonFile);
        }
    }

    private void setAside(Path file, String reason) throws IOException {
        forgetLeftInPlace(file);
        Path target = move(file, FAILED);
        writeReason(target.resolveSibling(target.getFileName() + ERROR_SUFFIX), reason);
        LOG.log(Level.WARNING, "Graft watch folder set " + file.getFileName() + " aside as " + FAILED + "/" + target.getFileName()
                + ": " + reason);
    }

    /** Whole or not at all: whoever waits for the reason file never reads half of it. */
    private static void writeReason(Path file, String reason) throws IOException {
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(temporary, Instant.now() + " " + reason + System.lineSeparator(), StandardCharsets.UTF_8);
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Moves the file (a link itself, not what it points to) into the subfolder: into {@code failed/}
     * under its own name or, if an earlier refusal took that name, a numbered one, so that a refusal
     * never overwrites an earlier one.
     */
    private Path move(Path file, String subfolder) throws IOException {
        if (subfolder.equals(APPLIED)) {
            // the last applied jar of a name is enough to see what was applied; older ones would only pile up
            return Files.move(file, folder.resolve(APPLIED).resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
        return Files.move(file, FreeNames.in(folder.resolve(subfolder), file.getFileName().toString(), ERROR_SUFFIX));
    }

    @Override
    public void close() {
        scanner.shutdownNow();
    }
}
