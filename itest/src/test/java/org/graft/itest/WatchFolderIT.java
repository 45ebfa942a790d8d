package org.graft.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Stream;

import org.graft.sample.api.CounterConsumer;
import org.graft.sample.api.CounterService;
import org.graft.sample.api.GreetingService;
import org.graft.update.dto.UpdateReportDTO;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.ExamFactory;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.OptionUtils;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.nat.internal.NativeTestContainerFactory;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;
import org.osgi.framework.Bundle;

/** The watch folder in a real framework: what is dropped there is applied, installed or set aside. */
@RunWith(PaxExam.class)
@ExamFactory(NativeTestContainerFactory.class)
@ExamReactorStrategy(PerMethod.class)
public class WatchFolderIT extends GraftTestSupport {
    private static final Path FOLDER = Paths.get("target", "watch-folder").toAbsolutePath();

    @Override
    @Configuration
    public Option[] configuration() {
        return OptionUtils.combine(super.configuration(),
                frameworkProperty("graft.watch.folder").value(FOLDER.toString()),
                frameworkProperty("graft.watch.interval.ms").value("100"),
                // off by default (the unit tests prove that); on here to prove the install itself
                frameworkProperty("graft.watch.install.new").value("true"));
    }

    /** Each test gets a framework of its own but the same folder: empty it of earlier tests' files. */
    @Before
    public void emptyFolder() throws IOException {
        WatchFolders.empty(FOLDER);
    }

    @Test
    public void aNewerVersionDroppedThereIsAppliedUnderLoad() throws Exception {
        CounterService counter = service(CounterService.class);
        CounterConsumer consumer = service(CounterConsumer.class);
        Callers callers = new Callers(4, "watched", index -> consumer.increment("w-" + index)).start();
        try {
            drop("counter-v2", "counter-2.0.0.jar");
            await("the jar is applied", () -> Files.exists(FOLDER.resolve("applied/counter-2.0.0.jar")));
            long after = callers.totalSuccesses();
            await("calls go on", () -> callers.totalSuccesses() > after + 1000);
        } finally {
            callers.close();
        }
        assertTrue("calls failed: " + callers.failures(), callers.failures().isEmpty());
        for (int i = 0; i < 4; i++) {
            assertEquals(callers.successes(i), counter.get("w-" + i));
        }
        assertEquals("2", counter.version());
        assertEquals(1, consumer.activations());
        List<UpdateReportDTO> history = updateManager.history();
        assertEquals(1, history.size());
        assertSucceeded(history.get(0));
        assertTrue("the applied jar left the watched folder", !Files.exists(FOLDER.resolve("counter-2.0.0.jar")));
    }

    @Test
    public void aCorruptJarIsSetAsideWithItsReason() throws Exception {
        Files.write(FOLDER.resolve("broken.jar"), "half of a zip".getBytes(StandardCharsets.UTF_8));
        String reason = awaitSetAside("broken.jar");
        assertTrue(reason, reason.contains("is not a jar"));
        assertTrue(reason, reason.contains("Nothing running changed"));
        assertUnchanged();
    }

    @Test
    public void aJarThatIsNotABundleIsSetAside() throws Exception {
        // A zip with a manifest but no Bundle-SymbolicName: a plain library jar.
        Path jar = Files.createTempFile(FOLDER.getParent(), "plain", ".jar");
        try (java.util.jar.JarOutputStream out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar),
                new java.util.jar.Manifest(new java.io.ByteArrayInputStream("Manifest-Version: 1.0\n\n".getBytes(StandardCharsets.UTF_8))))) {
            out.putNextEntry(new java.util.jar.JarEntry("a.txt"));
            out.write('a');
        }
        Files.move(jar, FOLDER.resolve("library.jar"));
        String reason = awaitSetAside("library.jar");
        assertTrue(reason, reason.contains("not an OSGi bundle"));
        assertUnchanged();
    }

    @Test
    public void theSameVersionIsSetAside() throws Exception {
        drop("counter-v1", "counter-1.0.0.jar");
        String reason = awaitSetAside("counter-1.0.0.jar");
        assertTrue(reason, reason.contains("1.0.0 is not newer than the running 1.0.0"));
        assertUnchanged();
    }

    @Test
    public void aVersionWhoseUpdateFailsIsSetAsideWithTheReport() throws Exception {
        dropFile(Fixtures.url("counter-v2-throwing-transformer"), "counter-2.0.0.throwing.jar");
        String reason = awaitSetAside("counter-2.0.0.throwing.jar");
        assertTrue(reason, reason.contains("failed at step rehearse"));
        assertTrue(reason, reason.contains("sample transformer fails on purpose"));
        assertUnchanged();
    }

    @Test
    public void aBundleThatIsNotInstalledIsInstalledAndStartedWhereConfigured() throws Exception {
        bundlesNamed(GREETING).get(0).uninstall();
        drop("greeting-v2", "greeting-2.0.0.jar");
        await("the jar is applied", () -> Files.exists(FOLDER.resolve("applied/greeting-2.0.0.jar")));
        Bundle greeting = bundlesNamed(GREETING).get(0);
        assertEquals(Bundle.ACTIVE, greeting.getState());
        assertEquals("2", service(GreetingService.class).version());
    }

    /** Copies a sample jar into the folder under a temporary name, then renames it: a whole file appears. */
    private static void drop(String artifactId, String name) throws IOException {
        dropFile(sampleUrl(artifactId), name);
    }

    /** Copies the jar at {@code url} into the folder under {@code name}, atomically: as a careful operator would. */
    private static void dropFile(String url, String name) throws IOException {
        WatchFolders.drop(url, FOLDER, name);
    }

    private static String awaitSetAside(String name) throws Exception {
        Path error = FOLDER.resolve("failed").resolve(name + ".error.txt");
        await(name + " is set aside", () -> Files.exists(error) && Files.exists(FOLDER.resolve("failed").resolve(name)));
        await(name + "'s reason is written", () -> {
            try {
                return Files.size(error) > 0;
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
        return Files.readString(error);
    }

    private void assertUnchanged() {
        CounterService counter = service(CounterService.class);
        assertEquals("1", counter.version());
        assertEquals(1, bundlesNamed(COUNTER).size());
        assertTrue("nothing was applied", !Files.exists(FOLDER.resolve("applied")) || isEmpty(FOLDER.resolve("applied")));
    }

    private static boolean isEmpty(Path directory) {
        try (Stream<Path> files = Files.list(directory)) {
            return files.findAny().isEmpty();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
