package org.graft.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
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

        Framework first = launch(storage, true);
        try {
            install(first.getBundleContext());
            Object manager = updateManager(first.getBundleContext());
            Object report = call(manager, "update", updateRequest(first.getBundleContext(),
                    sampleJar("counter-v2").toUri().toString()));
            assertEquals(String.valueOf(field(report, "message")), "SUCCEEDED", field(report, "outcome"));
            assertEquals(1, ((List<?>) call(manager, "history")).size());
        } finally {
            stop(first);
        }

        Framework second = launch(storage, false);
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
        Framework second = launch(storage, false);
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
        Framework first = launch(storage, true);
        try {
            install(first.getBundleContext());
            updateManager(first.getBundleContext());
            oldId = counterBundles(first.getBundleContext()).get(0).getBundleId();
            // What the install step had done when the framework died: the bundle is in, its id is not journaled.
            first.getBundleContext().installBundle(location).adapt(BundleStartLevel.class).setStartLevel(4);
        } finally {
            stop(first);
        }
        Files.writeString(journalOf(storage).resolve("update-000001.json"), "{\"id\":1,\"kind\":\"update\",\"outcome\":\"IN_PROGRESS\","
                + "\"plan\":{\"bundles\":[{\"symbolicName\":\"org.graft.sample.counter\",\"fromVersion\":\"1.0.0\","
                + "\"toVersion\":\"2.0.0\",\"fromBundleId\":" + oldId + ",\"toBundleId\":0,\"location\":\"" + location + "\"}]},"
                + "\"steps\":[{\"name\":\"resolve\",\"status\":\"OK\"},{\"name\":\"install\",\"status\":\"RUNNING\"}]}");
        Framework second = launch(storage, false);
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
        Framework second = launch(storage, false);
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
        Framework first = launch(storage, true);
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
        Files.writeString(journalOf(storage).resolve("update-000001.json"), "{\"id\":1,\"kind\":\"update\",\"outcome\":\"IN_PROGRESS\","
                + "\"plan\":{\"bundles\":[{\"symbolicName\":\"org.graft.sample.counter\",\"fromVersion\":\"1.0.0\","
                + "\"toVersion\":\"2.0.0\",\"fromBundleId\":" + oldId + ",\"toBundleId\":" + apiId + ",\"location\":\""
                + sampleJar("counter-v2").toUri() + "\"}]},"
                + "\"steps\":[{\"name\":\"resolve\",\"status\":\"OK\"},{\"name\":\"start\",\"status\":\"RUNNING\"}]}");
        Files.writeString(journalOf(storage).resolve("update-000002.json"), "{\"id\":2,\"kind\":\"update\",\"outcome\":\"IN_PROGRESS\","
                + "\"plan\":{\"bundles\":[{\"symbolicName\":\"org.graft.sample.counter\",\"fromVersion\":\"1.0.0\","
                + "\"toVersion\":\"2.0.0\",\"fromBundleId\":" + oldId + ",\"toBundleId\":" + (apiId + 1000) + "}]},"
                + "\"steps\":[{\"name\":\"resolve\",\"status\":\"OK\"},{\"name\":\"swap\",\"status\":\"OK\"}]}");
        Framework second = launch(storage, false);
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
        Framework first = launch(storage, true);
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
        Files.writeString(journalOf(storage).resolve("update-000001.json"), "{\"id\":1,\"kind\":\"update\",\"outcome\":\"IN_PROGRESS\","
                + "\"options\":{\"channel\":\"watch-folder\"},"
                + "\"plan\":{\"bundles\":[{\"symbolicName\":\"org.graft.sample.counter\",\"fromVersion\":\"1.0.0\","
                + "\"toVersion\":\"2.0.0\",\"fromBundleId\":" + oldId + ",\"toBundleId\":0,\"location\":\"" + jar.toUri() + "\"}]},"
                + "\"steps\":[{\"name\":\"resolve\",\"status\":\"OK\"},{\"name\":\"install\",\"status\":\"RUNNING\"}]}");
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
        Framework first = launch(storage, true);
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
        Path journal = journalOf(storage);
        String steps = swapped
                ? "{\"name\":\"swap\",\"status\":\"OK\"},{\"name\":\"retire\",\"status\":\"RUNNING\"}"
                : "{\"name\":\"plan\",\"status\":\"OK\"},{\"name\":\"start\",\"status\":\"RUNNING\"}";
        Files.writeString(journal.resolve("update-000001.json"), "{\"id\":1,\"kind\":\"update\",\"outcome\":\"IN_PROGRESS\","
                + "\"plan\":{\"bundles\":[{\"symbolicName\":\"org.graft.sample.counter\",\"fromVersion\":\"1.0.0\","
                + "\"toVersion\":\"2.0.0\",\"fromBundleId\":" + oldId + ",\"toBundleId\":" + newId + ",\"location\":\""
                + sampleJar("counter-v2").toUri() + "\"}]},"
                + "\"steps\":[{\"name\":\"resolve\",\"status\":\"OK\"}," + steps + "]}");
        return new long[] {oldId, newId};
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

    private static Framework launch(Path storage, boolean clean) throws Exception {
        return launch(storage, clean, Map.of());
    }

    private static Framework launch(Path storage, boolean clean, Map<String, String> properties) throws Exception {
        Map<String, String> configuration = new HashMap<>(properties);
        configuration.put(Constants.FRAMEWORK_STORAGE, storage.toAbsolutePath().toString());
        if (clean) {
            configuration.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        }
        configuration.put(Constants.FRAMEWORK_BEGINNING_STARTLEVEL, "5");
        Framework framework = ServiceLoader.load(FrameworkFactory.class).iterator().next().newFramework(configuration);
        framework.start();
        return framework;
    }

    private static void stop(Framework framework) throws Exception {
        framework.stop();
        FrameworkEvent event = framework.waitForStop(TimeUnit.SECONDS.toMillis(GraftTestSupport.WAIT_SECONDS));
        assertEquals("the framework stopped", FrameworkEvent.STOPPED, event.getType());
    }

    /** The bundles of the Pax Exam tests, with the same start levels: container before managed bundles. */
    private static void install(BundleContext context) throws Exception {
        Object[][] bundles = {
            {jar("org/osgi", "org.osgi.util.function"), 2}, {jar("org/osgi", "org.osgi.util.promise"), 2},
            {jar("org/osgi", "org.osgi.service.component"), 2},
            {jar("com/fasterxml/jackson/core", "jackson-annotations"), 2}, {jar("com/fasterxml/jackson/core", "jackson-core"), 2},
            {jar("com/fasterxml/jackson/core", "jackson-databind"), 2},
            {jar("org/graft", "transformer-api"), 2}, {jar("org/graft", "container"), 2}, {jar("org/graft", "update-manager"), 2},
            {jar("org/apache/felix", "org.apache.felix.scr"), 3}, {sampleJar("sample-api"), 3}, {sampleJar("counter-v1"), 4},
        };
        for (Object[] bundle : bundles) {
            Bundle installed = context.installBundle(((Path) bundle[0]).toUri().toString());
            installed.adapt(BundleStartLevel.class).setStartLevel((Integer) bundle[1]);
            installed.start();
        }
    }

    private static Object updateManager(BundleContext context) throws Exception {
        ServiceTracker<Object, Object> tracker = new ServiceTracker<>(context,
                context.createFilter("(objectClass=org.graft.update.UpdateManager)"), null);
        tracker.open(true);
        Object manager = tracker.waitForService(TimeUnit.SECONDS.toMillis(GraftTestSupport.WAIT_SECONDS));
        assertNotNull("the update manager started", manager);
        return manager;
    }

    private static Object updateRequest(BundleContext context, String location) throws Exception {
        Bundle managerBundle = Stream.of(context.getBundles())
                .filter(b -> "org.graft.update.manager".equals(b.getSymbolicName())).findFirst().orElseThrow();
        Object request = managerBundle.loadClass("org.graft.update.dto.UpdateRequestDTO").getConstructor().newInstance();
        Object bundle = managerBundle.loadClass("org.graft.update.dto.BundleUpdateDTO")
                .getMethod("of", String.class, String.class).invoke(null, "org.graft.sample.counter", location);
        @SuppressWarnings("unchecked")
        List<Object> bundles = (List<Object>) field(request, "bundles");
        bundles.add(bundle);
        return request;
    }

    private static Object call(Object manager, String name, Object... arguments) throws Exception {
        Class<?> api = manager.getClass().getClassLoader().loadClass("org.graft.update.UpdateManager");
        for (Method method : api.getMethods()) {
            if (method.getName().equals(name) && method.getParameterCount() == arguments.length) {
                return method.invoke(manager, arguments);
            }
        }
        throw new AssertionError("UpdateManager has no method " + name);
    }

    private static Object field(Object dto, String name) throws Exception {
        return dto.getClass().getField(name).get(dto);
    }

    private static Path sampleJar(String artifactId) {
        return jar("org/graft/samples", artifactId);
    }

    /** The one jar of an artifact in the reactor repository (repository layout). */
    private static Path jar(String groupPath, String artifactId) {
        Path directory = REPO.resolve(groupPath).resolve(artifactId);
        try (Stream<Path> files = Files.walk(directory)) {
            List<Path> jars = files.filter(p -> p.getFileName().toString().startsWith(artifactId + "-")
                    && p.getFileName().toString().endsWith(".jar")).collect(Collectors.toList());
            assertEquals("one jar of " + artifactId + " in " + directory + ": " + jars, 1, jars.size());
            return jars.get(0);
        } catch (IOException e) {
            throw new AssertionError("cannot list " + directory, e);
        }
    }

    private static void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : (Iterable<Path>) files.sorted((a, b) -> b.compareTo(a))::iterator) {
                Files.delete(file);
            }
        }
    }
}
