package org.graft.update.internal.watch;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.graft.container.ServiceContainer;
import org.graft.update.UpdateManager;
import org.graft.update.internal.config.JarPolicy;
import org.graft.update.internal.config.WatchFolderSettings;
import org.graft.update.dto.BundlePlanDTO;
import org.graft.update.dto.UpdateOptionsDTO;
import org.graft.update.dto.UpdatePlanDTO;
import org.graft.update.dto.UpdateReportDTO;
import org.graft.update.dto.UpdateRequestDTO;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Version;

/**
 * What the watch folder reads and what it sets aside: a jar only once it has stopped changing, no
 * link, directory or oversized file, no jar whose update a framework stop interrupted; refusals never
 * overwrite each other. Scans are driven by hand, so the test decides exactly what each scan sees. (What happens to a jar once read is proven in a real
 * framework by WatchFolderIT.)
 */
public class WatchFolderTest {
    @Rule
    public TemporaryFolder temporary = new TemporaryFolder();
    @Rule
    public TemporaryFolder elsewhere = new TemporaryFolder();


    private final List<UpdateRequestDTO> requests = new ArrayList<>();
    private final List<UpdateReportDTO> interrupted = new ArrayList<>();
    private Path folder;
    private BundleContext context;
    private ServiceContainer container;
    private UpdateManager updates;
    private WatchFolder watchFolder;

    @Before
    public void folderWithOneManagedBundleRunning() throws IOException {
        folder = temporary.getRoot().toPath();
        Files.createDirectories(folder.resolve(WatchFolder.APPLIED));
        Files.createDirectories(folder.resolve(WatchFolder.FAILED));
        Bundle running = stub(Bundle.class, (method, args) -> {
            switch (method) {
            case "getSymbolicName": return "org.example.counter";
            case "getVersion": return Version.parseVersion("1.0.0");
            case "getBundleId": return 7L;
            default: throw new UnsupportedOperationException(method);
            }
        });
        context = stub(BundleContext.class, (method, args) -> {
            if (method.equals("getBundles")) {
                return new Bundle[] {running};
            }
            if (method.equals("getProperty")) {
                return args[0].equals("graft.watch.folder") ? folder.toString() : null;
            }
            throw new UnsupportedOperationException(method);
        });
        container = stub(ServiceContainer.class, (method, args) -> {
            if (method.equals("isManaged")) {
                return true;
            }
            throw new UnsupportedOperationException(method);
        });
        updates = stub(UpdateManager.class, (method, args) -> {
            if (method.equals("update")) {
                requests.add((UpdateRequestDTO) args[0]);
                UpdateReportDTO report = new UpdateReportDTO();
                report.outcome = UpdateReportDTO.SUCCEEDED;
                return report;
            }
            throw new UnsupportedOperationException(method);
        });
        watchFolder = watchFolder(JarPolicy.DEFAULT);
    }

    private WatchFolder watchFolder(JarPolicy policy) {
        return new WatchFolder(WatchFolderSettings.fromFramework(context), context, container, updates, () -> policy, () -> interrupted);
    }

    private void scanUntilStable() throws IOException {
        for (int scan = 0; scan <= WatchFolder.STABLE_SCANS; scan++) {
            watchFolder.scan();
        }
    }

    private String reason(String name) throws IOException {
        return Files.readString(folder.resolve(WatchFolder.FAILED).resolve(name + ".error.txt"));
    }

    @Test
    public void aGrowingCopyIsNeverReadAndIsAppliedOnceComplete() throws IOException {
        byte[] jar = bundleJar("org.example.counter", "2.0.0");
        Path target = folder.resolve("counter.jar");
        int chunk = jar.length / 8;
        for (int written = 0; written < jar.length; written += chunk) {
            try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
                out.write(Arrays.copyOfRange(jar, written, Math.min(jar.length, written + chunk)));
            }
            watchFolder.scan();
            assertTrue("a copy in progress is not touched", Files.exists(target));
            assertTrue("nor read", requests.isEmpty());
        }
        assertTrue(isEmpty(folder.resolve(WatchFolder.FAILED)));
        // The write loop's last scan saw the final size; it must now stay the same for STABLE_SCANS scans.
        for (int scan = 1; scan < WatchFolder.STABLE_SCANS; scan++) {
            watchFolder.scan();
        }
        assertTrue("still waiting: the size has not been stable long enough", requests.isEmpty());
        watchFolder.scan();
        assertEquals(1, requests.size());
        assertEquals("7", requests.get(0).bundles.get(0).bundle);
        assertEquals(target.toUri().toString(), requests.get(0).bundles.get(0).location);
        assertTrue(Files.exists(folder.resolve(WatchFolder.APPLIED).resolve("counter.jar")));
        assertFalse(Files.exists(target));
    }

    @Test
    public void aCopyThatStopsHalfWayStaysWithItsReasonAndIsAppliedOnceItIsComplete() throws IOException {
        // A writer that pauses longer than the stable scans looks done; the jar is then found to be
        // incomplete: never installed, and looked at again once it changes.
        byte[] jar = bundleJar("org.example.counter", "2.0.0");
        Path stalled = folder.resolve("stalled.jar");
        Files.write(stalled, Arrays.copyOf(jar, jar.length / 2));
        scanUntilStable();
        assertTrue(requests.isEmpty());
        assertTrue("it stays where it is", Files.exists(stalled));
        String reason = reason("stalled.jar");
        assertTrue(reason, reason.contains("is not a complete jar"));
        assertTrue(reason, reason.contains("looked at again when it changes"));
        scanUntilStable();
        assertTrue("unchanged, it is not read again", requests.isEmpty());

        Files.write(stalled, Arrays.copyOfRange(jar, jar.length / 2, jar.length), StandardOpenOption.APPEND);
        scanUntilStable();
        assertEquals("complete now, it is applied", 1, requests.size());
        assertTrue(Files.exists(folder.resolve(WatchFolder.APPLIED).resolve("stalled.jar")));
        assertFalse("the reason that no longer holds is gone", Files.exists(folder.resolve(WatchFolder.FAILED).resolve("stalled.jar.error.txt")));
    }

    @Test
    public void copiesInProgressAndHiddenFilesAreLeftAlone() throws IOException {
        for (String name : List.of("counter.jar.part", "counter.jar.tmp", "counter.jar~", ".hidden.jar")) {
            Files.write(folder.resolve(name), new byte[] {1});
        }
        scanUntilStable();
        for (String name : List.of("counter.jar.part", "counter.jar.tmp", "counter.jar~", ".hidden.jar")) {
            assertTrue(name, Files.exists(folder.resolve(name)));
        }
        assertTrue(isEmpty(folder.resolve(WatchFolder.FAILED)));
    }

    @Test
    public void whatIsNotAJarIsSetAsideWithItsReason() throws IOException {
        Files.write(folder.resolve("notes.txt"), new byte[] {1});
        Files.createDirectories(folder.resolve("dir.jar"));
        scanUntilStable();
        assertTrue(reason("notes.txt"), reason("notes.txt").contains("it is not a jar (its name does not end in .jar)"));
        assertTrue(reason("dir.jar"), reason("dir.jar").contains("it is a directory"));
        assertTrue(Files.isDirectory(folder.resolve(WatchFolder.FAILED).resolve("dir.jar")));
        assertFalse(Files.exists(folder.resolve("notes.txt")));
        assertTrue(requests.isEmpty());
    }

    @Test
    public void aJarNamedInCapitalsIsAJar() throws IOException {
        Files.write(folder.resolve("V2.JAR"), bundleJar("org.example.counter", "2.0.0"));
        scanUntilStable();
        assertEquals(1, requests.size());
        assertTrue(Files.exists(folder.resolve(WatchFolder.APPLIED).resolve("V2.JAR")));
    }

    @Test
    public void aSymbolicLinkIsNeverFollowed() throws IOException {
        Path outside = elsewhere.getRoot().toPath().resolve("newer.jar");
        Files.write(outside, bundleJar("org.example.counter", "2.0.0"));
        Files.createSymbolicLink(folder.resolve("newer.jar"), outside);
        scanUntilStable();
        assertTrue("the jar it points to is not applied", requests.isEmpty());
        String reason = reason("newer.jar");
        assertTrue(reason, reason.contains("it is a symbolic link (to " + outside + ")"));
        assertTrue("the link moved, not its target", Files.isSymbolicLink(folder.resolve(WatchFolder.FAILED).resolve("newer.jar")));
        assertTrue(Files.exists(outside));
    }

    @Test
    public void aRefusalNeverOverwritesAnEarlierOne() throws IOException {
        Files.write(folder.resolve("counter.jar"), bundleJar("org.example.counter", "1.0.0"));
        scanUntilStable();
        Files.write(folder.resolve("counter.jar"), bundleJar("org.example.counter", "0.9.0"));
        scanUntilStable();
        assertTrue(reason("counter.jar"), reason("counter.jar").contains("1.0.0 is not newer than the running 1.0.0"));
        assertTrue(reason("counter-1.jar"), reason("counter-1.jar").contains("0.9.0 is not newer than the running 1.0.0"));
        assertTrue(Files.exists(folder.resolve(WatchFolder.FAILED).resolve("counter-1.jar")));
    }

    @Test
    public void aFileAboveTheLimitIsRefusedUnreadAndTheFolderGoesOn() throws IOException {
        // 3 GB, sparse: more than any array can hold, so reading it whole would kill the scan
        try (RandomAccessFile huge = new RandomAccessFile(folder.resolve("huge.jar").toFile(), "rw")) {
            huge.setLength(3L * 1024 * 1024 * 1024);
        }
        scanUntilStable();
        String reason = reason("huge.jar");
        assertTrue(reason, reason.contains("is larger than 64 MB, the most an update reads (key jar.max.mb)"));
        Files.write(folder.resolve("counter.jar"), bundleJar("org.example.counter", "2.0.0"));
        scanUntilStable();
        assertEquals("the next jar is applied", 1, requests.size());
    }

    @Test
    public void aBundleNotInstalledIsNotInstalledUnlessConfigured() throws IOException {
        Files.write(folder.resolve("other.jar"), bundleJar("org.example.other", "1.0.0"));
        scanUntilStable();
        String reason = reason("other.jar");
        assertTrue(reason, reason.contains("org.example.other is not installed"));
        assertTrue(reason, reason.contains("watch.install.new=true"));
    }

    @Test
    public void aJarWhoseUpdateWasInterruptedIsSetAsideAndOneAppliedBeforeTheStopMovesToApplied() throws IOException {
        Files.write(folder.resolve("crashed.jar"), bundleJar("org.example.counter", "2.0.0"));
        Files.write(folder.resolve("swapped.jar"), bundleJar("org.example.counter", "2.0.0"));
        interrupted.add(recovered(7, UpdateReportDTO.FAILED, folder.resolve("crashed.jar")));
        interrupted.add(recovered(8, UpdateReportDTO.SUCCEEDED, folder.resolve("swapped.jar")));
        watchFolder.scan();
        assertTrue(requests.isEmpty());
        String reason = reason("crashed.jar");
        assertTrue(reason, reason.contains("its update 7 was interrupted by a framework stop"));
        assertTrue(reason, reason.contains("drop it again to retry"));
        assertTrue(Files.exists(folder.resolve(WatchFolder.APPLIED).resolve("swapped.jar")));
        scanUntilStable();
        assertTrue("neither is applied again", requests.isEmpty());
    }

    private static UpdateReportDTO recovered(long id, String outcome, Path jar) {
        UpdateReportDTO report = new UpdateReportDTO();
        report.id = id;
        report.outcome = outcome;
        report.message = "the framework stopped during step start";
        report.options = new UpdateOptionsDTO();
        report.options.channel = UpdateOptionsDTO.CHANNEL_WATCH_FOLDER;
        report.plan = new UpdatePlanDTO();
        BundlePlanDTO bundle = new BundlePlanDTO();
        bundle.location = jar.toUri().toString();
        report.plan.bundles.add(bundle);
        return report;
    }

    private interface Answer {
        Object answer(String method, Object[] args);
    }

    private static <T> T stub(Class<T> type, Answer answer) {
        return type.cast(Proxy.newProxyInstance(WatchFolderTest.class.getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> answer.answer(method.getName(), args)));
    }

    private static boolean isEmpty(Path directory) throws IOException {
        try (var files = Files.list(directory)) {
            return files.findAny().isEmpty();
        }
    }

    private static byte[] bundleJar(String symbolicName, String version) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Bundle-SymbolicName", symbolicName);
        manifest.getMainAttributes().putValue("Bundle-Version", version);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream out = new JarOutputStream(bytes, manifest)) {
            for (int i = 0; i < 20; i++) {
                out.putNextEntry(new JarEntry("org/example/C" + i + ".class"));
                out.write(new byte[512]);
            }
        }
        return bytes.toByteArray();
    }
}
