package org.graft.update.internal.watch;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
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
 * When the watch folder reads a jar: only once it has stopped changing. Scans are driven by hand, so
 * the test decides exactly what each scan sees. (What happens to a jar once read is proven in a real
 * framework by WatchFolderIT.)
 */
public class WatchFolderTest {
    @Rule
    public TemporaryFolder temporary = new TemporaryFolder();

    private final List<UpdateRequestDTO> requests = new ArrayList<>();
    private Path folder;
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
        BundleContext context = stub(BundleContext.class, (method, args) -> {
            if (method.equals("getBundles")) {
                return new Bundle[] {running};
            }
            throw new UnsupportedOperationException(method);
        });
        ServiceContainer container = stub(ServiceContainer.class, (method, args) -> {
            if (method.equals("isManaged")) {
                return true;
            }
            throw new UnsupportedOperationException(method);
        });
        UpdateManager updates = stub(UpdateManager.class, (method, args) -> {
            if (method.equals("update")) {
                requests.add((UpdateRequestDTO) args[0]);
                UpdateReportDTO report = new UpdateReportDTO();
                report.outcome = UpdateReportDTO.SUCCEEDED;
                return report;
            }
            throw new UnsupportedOperationException(method);
        });
        watchFolder = new WatchFolder(folder, 1_000L, context, container, updates);
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
    public void aCopyThatStopsHalfWayIsSetAsideAsIncomplete() throws IOException {
        // A writer that pauses longer than the stable scans looks done; the jar is then found to be
        // incomplete and set aside, never installed. Copying under another name and renaming avoids it.
        byte[] jar = bundleJar("org.example.counter", "2.0.0");
        Files.write(folder.resolve("stalled.jar"), Arrays.copyOf(jar, jar.length / 2));
        for (int scan = 0; scan <= WatchFolder.STABLE_SCANS; scan++) {
            watchFolder.scan();
        }
        assertTrue(requests.isEmpty());
        assertTrue(Files.exists(folder.resolve(WatchFolder.FAILED).resolve("stalled.jar")));
        String reason = Files.readString(folder.resolve(WatchFolder.FAILED).resolve("stalled.jar.error.txt"));
        assertTrue(reason, reason.contains("is not a complete jar"));
        assertTrue(reason, reason.contains("a partial copy, or a corrupt file"));
        assertTrue(reason, reason.contains("Nothing running changed"));
    }

    @Test
    public void filesThatAreNotJarsAreLeftAlone() throws IOException {
        Files.write(folder.resolve("notes.txt"), new byte[] {1});
        Files.write(folder.resolve("counter.jar.part"), new byte[] {1});
        for (int scan = 0; scan <= WatchFolder.STABLE_SCANS + 1; scan++) {
            watchFolder.scan();
        }
        assertTrue(Files.exists(folder.resolve("notes.txt")));
        assertTrue(Files.exists(folder.resolve("counter.jar.part")));
        assertTrue(isEmpty(folder.resolve(WatchFolder.FAILED)));
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
