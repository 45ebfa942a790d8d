package org.graft.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.graft.itest.StandaloneFramework.call;
import static org.graft.itest.StandaloneFramework.counterRequest;
import static org.graft.itest.StandaloneFramework.deleteRecursively;
import static org.graft.itest.StandaloneFramework.field;
import static org.graft.itest.StandaloneFramework.installGraftAndCounter;
import static org.graft.itest.StandaloneFramework.launch;
import static org.graft.itest.StandaloneFramework.service;

import org.junit.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Test 9: the update history survives a restart of the framework, and an update that a stop
 * interrupted is resolved at the next start. Pax Exam cannot restart its own
 * framework, so this test launches Felix itself, twice, on one storage area, and talks to the update
 * manager reflectively (its classes inside the framework are not the test's classes).
 */
public class HistoryRestartIT {
    private static final Path REPO = Paths.get(System.getProperty("graft.reactor.repo"));

    @Test
    public void historySurvivesAFrameworkRestart() throws Exception {
        Path storage = Paths.get("target", "restart-framework");
        deleteRecursively(storage);

        Framework first = launch(storage, true, Map.of());
        try {
            install(first.getBundleContext());
            Object manager = updateManager(first.getBundleContext());
            Object report = call(manager, "update", counterRequest(first.getBundleContext(),
                    sampleJar("counter-v2").toUri().toString()));
            assertEquals(String.valueOf(field(report, "message")), "SUCCEEDED", field(report, "outcome"));
            assertEquals(1, ((List<?>) call(manager, "history")).size());
        } finally {
            stop(first);
        }

        Framework second = launch(storage, false, Map.of());
        try {
            Object manager = updateManager(second.getBundleContext());
            List<?> history = (List<?>) call(manager, "history");
            assertEquals(1, history.size());
            Object report = history.get(0);
            assertEquals(1L, field(report, "id"));
            assertEquals("SUCCEEDED", field(report, "outcome"));
            Object bundlePlan = ((List<?>) field(field(report, "plan"), "bundles")).get(0);
            assertEquals("1.0.0", field(bundlePlan, "fromVersion"));
            assertEquals("2.0.0", field(bundlePlan, "toVersion"));
            assertTrue("timings survive too", (Long) field(field(report, "timings"), "totalMicros") > 0);
            List<Bundle> counters = Stream.of(second.getBundleContext().getBundles())
                    .filter(b -> "org.graft.sample.counter".equals(b.getSymbolicName())).collect(Collectors.toList());
            assertEquals("version 2 is what restarted", 1, counters.size());
            assertEquals("2.0.0", counters.get(0).getVersion().toString());
        } finally {
            stop(second);
        }
    }

    @Test
    public void anUpdateInterruptedBeforeTheSwapIsUndoneAtRestart() throws Exception {
        Path storage = Paths.get("target", "crash-before-swap");
        long[] ids = plantInterruptedUpdate(storage, false);
        Framework second = launch(storage, false, Map.of());
        try {
            Object report = resolvedRecord(second.getBundleContext());
            assertEquals("FAILED", field(report, "outcome"));
            assertEquals("start", field(report, "failedStep"));
            assertTrue(String.valueOf(field(report, "message")),
                    String.valueOf(field(report, "message")).contains("before the swap; the new version was removed at restart"));
            List<Bundle> counters = counterBundles(second.getBundleContext());
            assertEquals("the orphaned new version is gone: " + counters, 1, counters.size());
            assertEquals(ids[0], counters.get(0).getBundleId());
            assertEquals(Bundle.ACTIVE, counters.get(0).getState());
            assertEquals("1", counterVersion(second.getBundleContext()));
        } finally {
            stop(second);
        }
    }

    @Test
    public void anUpdateInterruptedDuringTheInstallIsUndoneAtRestartAlthoughItsIdWasNotJournaled() throws Exception {
        Path storage = Paths.get("target", "crash-during-install");
        deleteRecursively(storage);
        long oldId;
        String location = sampleJar("counter-v2").toUri().toString();
        Framework first = launch(storage, true, Map.of());
        try {
            install(first.getBundleContext());
            updateManager(first.getBundleContext());
            oldId = counterBundles(first.getBundleContext()).get(0).getBundleId();
            // What the install step had done when the framework died: the bundle is in, its id is not journaled.
            first.getBundleContext().installBundle(location).adapt(BundleStartLevel.class).setStartLevel(4);
        } finally {
            stop(first);
        }
        plantRecord(storage, 1, oldId, 0, location, null, "install:RUNNING");
        Framework second = launch(storage, false, Map.of());
        try {
            Object report = resolvedRecord(second.getBundleContext());
            assertEquals("FAILED", field(report, "outcome"));
            assertEquals("install", field(report, "failedStep"));
            List<Bundle> counters = counterBundles(second.getBundleContext());
            assertEquals("the half-installed version is gone: " + counters, 1, counters.size());
            assertEquals(oldId, counters.get(0).getBundleId());
            assertEquals("1", counterVersion(second.getBundleContext()));
        } finally {
            stop(second);
        }
    }

    @Test
    public void anUpdateInterruptedAfterTheSwapIsCompletedAtRestart() throws Exception {
        Path storage = Paths.get("target", "crash-after-swap");
        long[] ids = plantInterruptedUpdate(storage, true);
        Framework second = launch(storage, false, Map.of());
        try {
            Object report = resolvedRecord(second.getBundleContext());
            assertEquals("SUCCEEDED", field(report, "outcome"));
            assertTrue(String.valueOf(field(report, "message")),
                    String.valueOf(field(report, "message")).contains("after the swap; the old version was archived and removed at restart"));
            List<Bundle> counters = counterBundles(second.getBundleContext());
            assertEquals("only the new version is left: " + counters, 1, counters.size());
            assertEquals(ids[1], counters.get(0).getBundleId());
            // Recovery runs as soon as the update manager starts, which may be before the old version
            // started: consumers see version 2 either way (the hand-over from a serving provider to a
            // waiting one is RegistryIT's).
            assertEquals("2", counterVersion(second.getBundleContext()));
            // The crash came before the retire step archived the old version: recovery did, so the
            // history's SUCCEEDED can be rolled back.
            Object rollback = call(updateManager(second.getBundleContext()), "rollback", "org.graft.sample.counter", null);
            assertEquals(String.valueOf(field(rollback, "message")), "SUCCEEDED", field(rollback, "outcome"));
            assertEquals("1", counterVersion(second.getBundleContext()));
        } finally {
            stop(second);
        }
    }

    /**
     * A record is a file: one that names an unrelated bundle (planted, or left by another installation)
     * must not make recovery remove it.
     */
    @Test
    public void recoveryRemovesNoBundleARecordNamesThatItsUpdateDidNotInstall() throws Exception {
        Path storage = Paths.get("target", "crash-planted-record");
        deleteRecursively(storage);
        long oldId;
        long apiId;
        Framework first = launch(storage, true, Map.of());
        try {
            install(first.getBundleContext());
            updateManager(first.getBundleContext());
            oldId = counterBundles(first.getBundleContext()).get(0).getBundleId();
            apiId = Stream.of(first.getBundleContext().getBundles()).filter(b -> "org.graft.sample.api".equals(b.getSymbolicName()))
                    .findFirst().orElseThrow().getBundleId();
        } finally {
            stop(first);
        }
        // before the swap, the "new version" is the sample API bundle; after it, the "old" one is the counter itself
        plantRecord(storage, 1, oldId, apiId, sampleJar("counter-v2").toUri().toString(), null, "start:RUNNING");
        plantRecord(storage, 2, oldId, apiId + 1000, null, null, "swap:OK");
        Framework second = launch(storage, false, Map.of());
        try {
            Object manager = updateManager(second.getBundleContext());
            GraftTestSupport.await("both records are resolved", () -> {
                try {
                    return ((List<?>) call(manager, "history")).stream().noneMatch(r -> {
                        try {
                            return "IN_PROGRESS".equals(field(r, "outcome"));
                        } catch (Exception e) {
                            throw new AssertionError(e);
                        }
                    });
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            List<?> history = (List<?>) call(manager, "history");
            String beforeSwap = String.valueOf(field(history.get(0), "message"));
            assertTrue(beforeSwap, beforeSwap.contains("bundle " + apiId + " (org.graft.sample.api "));
            assertTrue(beforeSwap, beforeSwap.contains("was left as it is: it is not the version 2.0.0 of org.graft.sample.counter"
                    + " that this update installed"));
            String afterSwap = String.valueOf(field(history.get(1), "message"));
            assertTrue(afterSwap, afterSwap.contains("bundle " + oldId + " (org.graft.sample.counter 1.0.0 at "));
            assertTrue(afterSwap, afterSwap.contains("was left as it is: the version that replaced it, org.graft.sample.counter 2.0.0"
                    + " (id " + (apiId + 1000) + "), is not installed: removing it would leave none"));
            assertNotNull("the API bundle stays", second.getBundleContext().getBundle(apiId));
            assertEquals("the counter stays", oldId, counterBundles(second.getBundleContext()).get(0).getBundleId());
            assertEquals("1", counterVersion(second.getBundleContext()));
        } finally {
            stop(second);
        }
    }

    @Test
    public void aJarTheWatchFolderAppliedIsNotAppliedAgainAfterARestart() throws Exception {
        Path storage = Paths.get("target", "watch-restart");
        Path folder = Paths.get("target", "watch-restart-folder").toAbsolutePath();
        deleteRecursively(storage);
        deleteRecursively(folder);
        Map<String, String> watching = Map.of("graft.watch.folder", folder.toString(), "graft.watch.interval.ms", "100");
        Framework first = launch(storage, true, watching);
        try {
            install(first.getBundleContext());
            updateManager(first.getBundleContext());
            Files.createDirectories(folder);
            Files.copy(sampleJar("counter-v2"), folder.resolve("counter.jar.part"));
            Files.move(folder.resolve("counter.jar.part"), folder.resolve("counter.jar"));
            GraftTestSupport.await("the jar is applied", () -> Files.exists(folder.resolve("applied/counter.jar")));
        } finally {
            stop(first);
        }
        // As if the framework had died after the update but before the jar was moved away.
        Files.copy(folder.resolve("applied/counter.jar"), folder.resolve("counter.jar"));

        Framework second = launch(storage, false, watching);
        try {
            Object manager = updateManager(second.getBundleContext());
            GraftTestSupport.await("the leftover jar is looked at", () -> Files.exists(folder.resolve("failed/counter.jar.error.txt")));
            String reason = Files.readString(folder.resolve("failed/counter.jar.error.txt"));
            assertTrue(reason, reason.contains("2.0.0 is not newer than the running 2.0.0"));
            assertEquals("applied once, never again", 1, ((List<?>) call(manager, "history")).size());
            assertEquals("2", counterVersion(second.getBundleContext()));
        } finally {
            stop(second);
        }
    }

    /** An update may be what killed the framework: its jar is not applied again by itself at the next start. */
    @Test
    public void aJarWhoseUpdateACrashInterruptedIsSetAsideAtTheNextStart() throws Exception {
        Path storage = Paths.get("target", "watch-crash");
        Path folder = Paths.get("target", "watch-crash-folder").toAbsolutePath();
        deleteRecursively(storage);
        deleteRecursively(folder);
        Map<String, String> watching = Map.of("graft.watch.folder", folder.toString(), "graft.watch.interval.ms", "100");
        long oldId;
        Path jar = folder.resolve("counter.jar");
        Framework first = launch(storage, true, Map.of());
        try {
            install(first.getBundleContext());
            updateManager(first.getBundleContext());
            oldId = counterBundles(first.getBundleContext()).get(0).getBundleId();
            Files.createDirectories(folder);
            Files.copy(sampleJar("counter-v2"), jar);
            // what the install step had done when the framework died
            first.getBundleContext().installBundle(jar.toUri().toString()).adapt(BundleStartLevel.class).setStartLevel(4);
        } finally {
            stop(first);
        }
        plantRecord(storage, 1, oldId, 0, jar.toUri().toString(), "watch-folder", "install:RUNNING");
        Framework second = launch(storage, false, watching);
        try {
            Object manager = updateManager(second.getBundleContext());
            GraftTestSupport.await("the jar is set aside", () -> Files.exists(folder.resolve("failed/counter.jar.error.txt")));
            String reason = Files.readString(folder.resolve("failed/counter.jar.error.txt"));
            assertTrue(reason, reason.contains("its update 1 was interrupted by a framework stop"));
            assertTrue(reason, reason.contains("drop it again to retry"));
            assertEquals("no update ran again", 1, ((List<?>) call(manager, "history")).size());
            List<Bundle> counters = counterBundles(second.getBundleContext());
            assertEquals("the half-installed version is gone: " + counters, 1, counters.size());
            assertEquals("1", counterVersion(second.getBundleContext()));
        } finally {
            stop(second);
        }
    }

    /**
     * Leaves what an update leaves behind when the framework dies in the middle: the new version
     * installed (and started, if the swap had happened) beside the old one, and a journal record that
     * is still IN_PROGRESS.
     *
     * @return the ids of the old and the new counter bundle
     */
    private static long[] plantInterruptedUpdate(Path storage, boolean swapped) throws Exception {
        deleteRecursively(storage);
        long oldId;
        long newId;
        Framework first = launch(storage, true, Map.of());
        try {
            install(first.getBundleContext());
            updateManager(first.getBundleContext());
            oldId = counterBundles(first.getBundleContext()).get(0).getBundleId();
            Bundle next = first.getBundleContext().installBundle(sampleJar("counter-v2").toUri().toString());
            next.adapt(BundleStartLevel.class).setStartLevel(4);
            if (swapped) {
                next.start();
            }
            newId = next.getBundleId();
        } finally {
            stop(first);
        }
        String location = sampleJar("counter-v2").toUri().toString();
        if (swapped) {
            plantRecord(storage, 1, oldId, newId, location, null, "swap:OK", "retire:RUNNING");
        } else {
            plantRecord(storage, 1, oldId, newId, location, null, "plan:OK", "start:RUNNING");
        }
        return new long[] {oldId, newId};
    }

    /**
     * Writes the journal record of counter update {@code id}, 1.0.0 -> 2.0.0, still in progress, as the
     * update manager writes it: the bundle ids, the location its install was given (or null), the
     * channel (or null), and the steps after resolve as {@code name:STATUS}.
     */
    private static void plantRecord(Path storage, long id, long fromBundleId, long toBundleId, String location, String channel,
            String... steps) throws IOException {
        StringBuilder record = new StringBuilder("{\"id\":" + id + ",\"kind\":\"update\",\"outcome\":\"IN_PROGRESS\",");
        if (channel != null) {
            record.append("\"options\":{\"channel\":\"").append(channel).append("\"},");
        }
        record.append("\"plan\":{\"bundles\":[{\"symbolicName\":\"org.graft.sample.counter\",\"fromVersion\":\"1.0.0\",")
                .append("\"toVersion\":\"2.0.0\",\"fromBundleId\":").append(fromBundleId).append(",\"toBundleId\":").append(toBundleId);
        if (location != null) {
            record.append(",\"location\":\"").append(location).append('"');
        }
        record.append("}]},\"steps\":[{\"name\":\"resolve\",\"status\":\"OK\"}");
        for (String step : steps) {
            String[] nameAndStatus = step.split(":");
            record.append(",{\"name\":\"").append(nameAndStatus[0]).append("\",\"status\":\"").append(nameAndStatus[1]).append("\"}");
        }
        Files.writeString(journalOf(storage).resolve(String.format("update-%06d.json", id)), record.append("]}").toString());
    }

    private static Path journalOf(Path storage) throws IOException {
        try (Stream<Path> files = Files.walk(storage)) {
            return files.filter(p -> p.getFileName().toString().equals("journal") && Files.isDirectory(p)).findFirst()
                    .orElseThrow(() -> new AssertionError("no journal directory under " + storage));
        }
    }

    /** The planted record, once the update manager resolved it at start. */
    private static Object resolvedRecord(BundleContext context) throws Exception {
        Object manager = updateManager(context);
        GraftTestSupport.await("the interrupted update is resolved", () -> {
            try {
                return !"IN_PROGRESS".equals(field(((List<?>) call(manager, "history")).get(0), "outcome"));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        return ((List<?>) call(manager, "history")).get(0);
    }

    /**
     * Calls version() on the CounterService consumers see: the container's proxy. (This context is the
     * system bundle's, from which Graft does not hide the originals, hence the filter.)
     */
    private static String counterVersion(BundleContext context) throws Exception {
        ServiceTracker<Object, Object> tracker = new ServiceTracker<>(context,
                context.createFilter("(&(objectClass=org.graft.sample.api.CounterService)(graft.managed=true))"), null);
        tracker.open(true);
        try {
            Object counter = tracker.waitForService(TimeUnit.SECONDS.toMillis(GraftTestSupport.WAIT_SECONDS));
            assertNotNull("a CounterService is registered", counter);
            Class<?> api = counter.getClass().getClassLoader().loadClass("org.graft.sample.api.CounterService");
            return (String) api.getMethod("version").invoke(counter);
        } finally {
            tracker.close();
        }
    }

    private static List<Bundle> counterBundles(BundleContext context) {
        return Stream.of(context.getBundles()).filter(b -> "org.graft.sample.counter".equals(b.getSymbolicName()))
                .collect(Collectors.toList());
    }

    private static void stop(Framework framework) throws Exception {
        framework.stop();
        FrameworkEvent event = framework.waitForStop(TimeUnit.SECONDS.toMillis(GraftTestSupport.WAIT_SECONDS));
        assertEquals("the framework stopped", FrameworkEvent.STOPPED, event.getType());
    }

    private static void install(BundleContext context) throws Exception {
        installGraftAndCounter(context, REPO);
    }

    private static Object updateManager(BundleContext context) throws Exception {
        return service(context, "(objectClass=org.graft.update.UpdateManager)", TimeUnit.SECONDS.toMillis(GraftTestSupport.WAIT_SECONDS));
    }

    private static Path sampleJar(String artifactId) {
        return StandaloneFramework.sampleJar(REPO, artifactId);
    }
}
