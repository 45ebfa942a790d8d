package org.graft.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

import org.graft.sample.api.CounterService;
import org.graft.update.UpdateManager;
import org.graft.update.dto.BundlePlanDTO;
import org.graft.update.dto.UpdateReportDTO;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.ExamFactory;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.OptionUtils;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.karaf.container.internal.KarafTestContainerFactory;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;

/**
 * The distribution's watch folder, {@code ${karaf.base}/dsu}: a newer version dropped there is applied
 * while callers keep calling; a partial copy or a corrupt jar is set aside with its reason and changes
 * nothing. One Karaf for the class; each test compares what changed with what it found.
 */
@RunWith(PaxExam.class)
@ExamFactory(KarafTestContainerFactory.class)
@ExamReactorStrategy(PerClass.class)
public class KarafWatchFolderIT extends KarafTestSupport {
    private static final String COUNTER = "org.graft.sample.counter";
    private static final int CALLERS = 4;

    /*
     * No field, parameter or return type of this class (lambdas included: their captures become
     * parameters) names a type of the samples or of Graft: JUnit reflects on the class before @Before
     * installs the samples, and the probe could not load them yet. Services are held in local variables.
     */
    private Path folder;

    @Override
    @Configuration
    public Option[] configuration() throws IOException {
        // the distribution ships etc/org.graft.update.cfg (watch.folder = ${karaf.base}/dsu, every 1000 ms):
        // scan faster, so that a jar's two stable scans take well under a second
        return OptionUtils.combine(super.configuration(),
                editConfigurationFilePut("etc/org.graft.update.cfg", "watch.interval.ms", "200"));
    }

    @Before
    public void samples() throws Exception {
        installSamples();
        folder = Paths.get(System.getProperty("karaf.base"), "dsu");
        org.osgi.service.cm.Configuration[] watch = configurationAdmin.listConfigurations("(service.pid=org.graft.update)");
        assertTrue("ConfigAdmin has org.graft.update", watch != null && watch.length == 1);
        assertEquals(folder.toString(), watch[0].getProperties().get("watch.folder"));
        assertEquals("the faster scan is in place", "200", watch[0].getProperties().get("watch.interval.ms"));
        long deadline = deadline();
        poll(folder + " is watched (applied/ and failed/ exist)",
                () -> Files.isDirectory(folder.resolve("applied")) && Files.isDirectory(folder.resolve("failed")), deadline);
    }

    @Test
    public void aNewerVersionDroppedThereIsAppliedWhileCallersKeepCalling() throws Exception {
        UpdateManager updateManager = awaitService(UpdateManager.class, null);
        CounterService counter = awaitService(CounterService.class, null);
        assertEquals("1", counter.version());
        int historyBefore = updateManager.history().size();
        // through the service object, the proxy; a method reference, so no lambda method takes a CounterService
        ToLongFunction<String> increment = counter::increment;
        Callers callers = new Callers(CALLERS, "karaf-watched", index -> increment.applyAsLong("watched-" + index)).start();
        try {
            // copied under a name the folder ignores, then renamed: the whole jar appears at once
            Path part = folder.resolve("counter-2.0.0.jar.part");
            Files.copy(sampleJar("counter-v2"), part, StandardCopyOption.REPLACE_EXISTING);
            Files.move(part, folder.resolve("counter-2.0.0.jar"), StandardCopyOption.ATOMIC_MOVE);

            long deadline = deadline();
            poll("the jar is applied", () -> Files.isRegularFile(folder.resolve("applied/counter-2.0.0.jar")), deadline);
            Supplier<String> version = counter::version;
            poll("the counter is version 2", () -> "2".equals(version.get()), deadline);
            long after = callers.totalSuccesses();
            poll("calls go on after the update", () -> callers.totalSuccesses() > after + 1000, deadline);
        } finally {
            callers.close();
        }
        assertTrue("calls failed: " + callers.failures(), callers.failures().isEmpty());
        for (int i = 0; i < CALLERS; i++) {
            assertTrue("caller " + i + " called", callers.successes(i) > 0);
            assertEquals("caller " + i + "'s counter counts each of its successful calls once",
                    callers.successes(i), counter.get("watched-" + i));
        }
        assertFalse("the jar left the watched folder", Files.exists(folder.resolve("counter-2.0.0.jar")));
        assertFalse("nothing was set aside", Files.exists(folder.resolve("failed/counter-2.0.0.jar")));
        assertEquals("2.0.0", bundle(COUNTER).getVersion().toString());
        List<UpdateReportDTO> history = updateManager.history();
        assertEquals("one update more", historyBefore + 1, history.size());
        UpdateReportDTO report = history.get(history.size() - 1);
        assertEquals(report.message, UpdateReportDTO.SUCCEEDED, report.outcome);
        assertEquals("the report says through which channel", "watch-folder", report.options.channel);
        BundlePlanDTO change = report.plan.bundles.get(0);
        assertEquals(COUNTER, change.symbolicName);
        assertEquals("1.0.0", change.fromVersion);
        assertEquals("2.0.0", change.toVersion);
    }

    @Test
    public void aPartialCopyStaysWithItsReasonAndChangesNothing() throws Exception {
        Unchanged unchanged = new Unchanged(awaitService(CounterService.class, null), awaitService(UpdateManager.class, null));
        byte[] jar = Files.readAllBytes(sampleJar("counter-v2"));
        // the first half of the jar, left there as a copy that stopped
        Files.write(folder.resolve("partial.jar"), Arrays.copyOf(jar, jar.length / 2));
        Path error = folder.resolve("failed").resolve("partial.jar.error.txt");
        poll("partial.jar's reason is written", () -> size(error) > 0, deadline());
        String reason = Files.readString(error, StandardCharsets.UTF_8);
        assertTrue(reason, reason.contains("partial.jar is not a complete jar"));
        assertTrue(reason, reason.contains("It stays here and is looked at again when it changes"));
        assertTrue(reason, reason.contains("Nothing running changed"));
        unchanged.check("partial.jar", true);
    }

    @Test
    public void aCorruptJarIsSetAsideAndChangesNothing() throws Exception {
        Unchanged unchanged = new Unchanged(awaitService(CounterService.class, null), awaitService(UpdateManager.class, null));
        byte[] garbage = new byte[4096];
        for (int i = 0; i < garbage.length; i++) {
            garbage[i] = (byte) (i * 31 + 7);
        }
        Files.write(folder.resolve("corrupt.jar"), garbage);
        String reason = awaitSetAside("corrupt.jar");
        assertTrue(reason, reason.contains("corrupt.jar is not a jar"));
        assertTrue(reason, reason.contains("Nothing running changed"));
        unchanged.check("corrupt.jar");
    }

    /** What a file that is set aside must leave as it was: the counter's version and state, the history. */
    private final class Unchanged {
        final CounterService counter;
        final UpdateManager updateManager;
        final String version;
        final long bundleId;
        final int history;
        final long count;

        Unchanged(CounterService counter, UpdateManager updateManager) {
            this.counter = counter;
            this.updateManager = updateManager;
            version = counter.version();
            bundleId = bundle(COUNTER).getBundleId();
            history = updateManager.history().size();
            count = counter.increment("unchanged");
        }

        void check(String name) {
            check(name, false);
        }

        /** @param stays whether the file is to stay in the watched folder (a copy that may still complete) */
        void check(String name, boolean stays) {
            assertEquals("the counter keeps its version", version, counter.version());
            assertEquals("the counter's bundle is the same", bundleId, bundle(COUNTER).getBundleId());
            assertEquals(Bundle.ACTIVE, bundle(COUNTER).getState());
            assertEquals("and its state", count + 1, counter.increment("unchanged"));
            assertEquals("no update was attempted: " + updateManager.history(), history, updateManager.history().size());
            assertFalse(name + " was not applied", Files.exists(folder.resolve("applied").resolve(name)));
            assertEquals(name + (stays ? " stays in" : " left") + " the watched folder", stays, Files.exists(folder.resolve(name)));
        }
    }

    /** Waits until the folder moved a jar to failed/ with its reason beside it; returns the reason. */
    private String awaitSetAside(String name) throws InterruptedException {
        Path failed = folder.resolve("failed").resolve(name);
        Path error = failed.resolveSibling(name + ".error.txt");
        poll(name + " is set aside with its reason", () -> Files.isRegularFile(failed) && size(error) > 0, deadline());
        try {
            return Files.readString(error, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long size(Path file) {
        try {
            return Files.isRegularFile(file) ? Files.size(file) : 0L;
        } catch (IOException e) {
            return 0L; // being written or moved: look again
        }
    }

    private static long deadline() {
        return System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
    }
}
