package org.graft.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.logging.Level;

import org.graft.sample.api.CounterConsumer;
import org.graft.sample.api.CounterService;
import org.graft.update.dto.BundleUpdateDTO;
import org.graft.update.dto.UpdateOptionsDTO;
import org.graft.update.dto.UpdateReportDTO;
import org.graft.update.dto.UpdateRequestDTO;
import org.graft.update.testing.JarSigning;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.ExamFactory;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.nat.internal.NativeTestContainerFactory;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;
import org.osgi.framework.Bundle;

/**
 * The signature policy in a real framework, with a keystore configured: a version signed by a trusted
 * key is applied under load, through the API and the watch folder; an unsigned one or one signed by
 * another key is refused by every channel (the API, the watch folder, a bundle started beside the one
 * that serves, as {@code deploy/} does) with the jar and the reason named, version 1 serving and no
 * call failed. A rollback returns to the unsigned version 1 that ran before: the archive is not asked
 * for a signature.
 */
@RunWith(PaxExam.class)
@ExamFactory(NativeTestContainerFactory.class)
@ExamReactorStrategy(PerMethod.class)
public class SignedUpdatesIT extends GraftTestSupport {
    private static final Path KEYS = Paths.get("target", "signed-updates").toAbsolutePath();
    private static final Path FOLDER = KEYS.resolve("dsu");

    @Override
    protected Option[] testClassOptions() {
        SignedJars.make();
        return new Option[] {
            frameworkProperty("graft.signature.keystore").value(KEYS.resolve("keys/trust.p12").toString()),
            frameworkProperty("graft.signature.keystore.password").value(JarSigning.PASSWORD),
            frameworkProperty("graft.watch.folder").value(FOLDER.toString()),
            frameworkProperty("graft.watch.interval.ms").value("100"),
        };
    }

    /** Made once per JVM, outside the framework (the probe only reads the files). */
    private static final class SignedJars {
        private static boolean made;

        static synchronized void make() {
            if (made) {
                return;
            }
            try {
                JarSigning signing = new JarSigning(KEYS.resolve("keys"));
                Path publisher = signing.signer("publisher", "publisher");
                Path stranger = signing.signer("stranger", "stranger");
                signing.trustStore("trust", JarSigning.PASSWORD, publisher, "publisher");
                Path v2 = Paths.get(URI.create(sampleUrl("counter-v2")));
                Files.copy(signing.signed(v2, publisher, "publisher", "counter-v2-signed.jar"), KEYS.resolve("counter-v2-signed.jar"),
                        StandardCopyOption.REPLACE_EXISTING);
                Files.copy(signing.signed(v2, stranger, "stranger", "counter-v2-stranger.jar"), KEYS.resolve("counter-v2-stranger.jar"),
                        StandardCopyOption.REPLACE_EXISTING);
                Files.createDirectories(FOLDER);
            } catch (IOException e) {
                throw new IllegalStateException("the keys and signed jars of this test could not be made: " + e.getMessage(), e);
            }
            made = true;
        }
    }

    @Test
    public void aVersionSignedByATrustedKeyIsAppliedUnderLoadAndRolledBack() throws Exception {
        CounterService counter = service(CounterService.class);
        CounterConsumer consumer = service(CounterConsumer.class);
        Callers callers = new Callers(2, "signed", index -> consumer.increment("s-" + index)).start();
        try {
            awaitCalls(callers);
            assertSucceeded(updateManager.update(requestFor(jar("counter-v2-signed.jar"))));
            assertEquals("2", counter.version());
            awaitCalls(callers);
            // back to the unsigned version 1, from the archive: it ran here before
            assertSucceeded(updateManager.rollback(COUNTER, new UpdateOptionsDTO()));
            awaitCalls(callers);
        } finally {
            callers.close();
        }
        assertTrue("calls failed: " + callers.failures(), callers.failures().isEmpty());
        for (int i = 0; i < 2; i++) {
            assertEquals(callers.successes(i), counter.get("s-" + i));
        }
        assertEquals("1", counter.version());
        assertEquals(1, consumer.activations());
    }

    @Test
    public void unsignedAndUntrustedVersionsAreRefusedThroughTheApiAndVersion1KeepsServing() throws Exception {
        CounterService counter = service(CounterService.class);
        CounterConsumer consumer = service(CounterConsumer.class);
        Callers callers = new Callers(2, "refused", index -> consumer.increment("r-" + index)).start();
        UpdateReportDTO unsigned;
        UpdateReportDTO untrusted;
        try {
            awaitCalls(callers);
            unsigned = updateManager.update(requestFor(sampleUrl("counter-v2")));
            untrusted = updateManager.update(requestFor(jar("counter-v2-stranger.jar")));
            awaitCalls(callers);
        } finally {
            callers.close();
        }
        assertEquals(unsigned.message, UpdateReportDTO.REFUSED, unsigned.outcome);
        assertTrue(unsigned.message, unsigned.message.contains(sampleUrl("counter-v2") + " is not signed, and only bundles signed by a"
                + " certificate in the keystore " + KEYS.resolve("keys/trust.p12") + " are applied (key graft.signature.keystore of the"
                + " framework properties)"));
        assertEquals(untrusted.message, UpdateReportDTO.REFUSED, untrusted.outcome);
        assertTrue(untrusted.message, untrusted.message.contains(jar("counter-v2-stranger.jar") + " is signed by CN=stranger,O=Graft tests"));
        assertTrue("calls failed: " + callers.failures(), callers.failures().isEmpty());
        for (int i = 0; i < 2; i++) {
            assertEquals(callers.successes(i), counter.get("r-" + i));
        }
        assertUnchanged();
    }

    @Test
    public void theWatchFolderSetsAnUnsignedJarAsideAndAppliesASignedOne() throws Exception {
        WatchFolders.empty(FOLDER);
        WatchFolders.drop(sampleUrl("counter-v2"), FOLDER, "counter-2.0.0.jar");
        Path error = FOLDER.resolve("failed/counter-2.0.0.jar.error.txt");
        await("the unsigned jar is set aside with its reason", () -> Files.exists(FOLDER.resolve("failed/counter-2.0.0.jar"))
                && size(error) > 0);
        String reason = Files.readString(error);
        assertTrue(reason, reason.contains("counter-2.0.0.jar is not signed, and only bundles signed by a certificate in the keystore"));
        assertTrue(reason, reason.strip().endsWith("Nothing running changed."));
        assertUnchanged();
        WatchFolders.drop(jar("counter-v2-signed.jar"), FOLDER, "counter-2.0.0-signed.jar");
        await("the signed jar is applied", () -> Files.exists(FOLDER.resolve("applied/counter-2.0.0-signed.jar")));
        assertEquals("2", service(CounterService.class).version());
    }

    @Test
    public void anUnsignedVersionStartedBesideTheServingOneIsNotAdopted() throws Exception {
        try (CapturedLog log = CapturedLog.of("org.graft.update")) {
            // What FileInstall does for a jar dropped into Karaf's deploy/: install and start it beside version 1.
            Bundle standby = context.installBundle(sampleUrl("counter-v2") + "#beside");
            standby.start();
            await("Graft refuses to apply the standby version", () -> !log.matching(Level.WARNING,
                    "Graft update request REFUSED (deploy)").isEmpty());
            String refusal = log.matching(Level.WARNING, "Graft update request REFUSED (deploy)").get(0).getMessage();
            assertTrue(refusal, refusal.contains(sampleUrl("counter-v2") + "#beside is not signed, and only bundles signed by a"
                    + " certificate in the keystore"));
            assertEquals("1", service(CounterService.class).version());
            assertTrue(updateManager.history().isEmpty());
            standby.uninstall();
        }
    }

    private static UpdateRequestDTO requestFor(String location) {
        UpdateRequestDTO request = new UpdateRequestDTO();
        request.bundles.add(BundleUpdateDTO.of(COUNTER, location));
        return request;
    }

    private static String jar(String name) {
        return KEYS.resolve(name).toUri().toString();
    }

    private static void awaitCalls(Callers callers) throws InterruptedException {
        long before = callers.totalSuccesses();
        await("calls go on", () -> callers.totalSuccesses() > before + 1000);
    }

    private void assertUnchanged() {
        assertEquals("1", service(CounterService.class).version());
        assertEquals(1, bundlesNamed(COUNTER).size());
        List<UpdateReportDTO> history = updateManager.history();
        assertTrue("nothing succeeded: " + history, history.stream().noneMatch(r -> UpdateReportDTO.SUCCEEDED.equals(r.outcome)));
    }

    private static long size(Path file) {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
