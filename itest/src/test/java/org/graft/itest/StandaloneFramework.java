package org.graft.itest;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.util.tracker.ServiceTracker;

/**
 * A Felix framework that a test launches itself, on a storage folder of its own that outlives it (for
 * restarts and crashes), with Graft and the sample counter installed as the Pax Exam tests install them,
 * and reached by reflection: Graft's classes live in the framework, not on the caller's class path.
 * Needs only the OSGi framework, so that a child process with nothing but Felix and the test classes
 * on its class path ({@code CrashPointIT}'s) can use it too.
 */
public final class StandaloneFramework {
    public static final String COUNTER = "org.graft.sample.counter";

    private StandaloneFramework() {
    }

    /** Starts Felix on {@code storage}, emptied first if {@code clean}; start level 5, as the bundles below need. */
    public static Framework launch(Path storage, boolean clean, Map<String, String> properties) throws Exception {
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

    /** The bundles of the Pax Exam tests, with the same start levels: container before managed bundles. */
    public static void installGraftAndCounter(BundleContext context, Path repository) throws Exception {
        Object[][] bundles = {
            {jar(repository, "org/osgi", "org.osgi.util.function"), 2}, {jar(repository, "org/osgi", "org.osgi.util.promise"), 2},
            {jar(repository, "org/osgi", "org.osgi.service.component"), 2},
            {jar(repository, "com/fasterxml/jackson/core", "jackson-annotations"), 2},
            {jar(repository, "com/fasterxml/jackson/core", "jackson-core"), 2},
            {jar(repository, "com/fasterxml/jackson/core", "jackson-databind"), 2},
            {jar(repository, "org/graft", "transformer-api"), 2}, {jar(repository, "org/graft", "container"), 2},
            {jar(repository, "org/graft", "update-manager"), 2},
            {jar(repository, "org/apache/felix", "org.apache.felix.scr"), 3}, {sampleJar(repository, "sample-api"), 3},
            {sampleJar(repository, "counter-v1"), 4},
        };
        for (Object[] bundle : bundles) {
            Bundle installed = context.installBundle(((Path) bundle[0]).toUri().toString());
            installed.adapt(BundleStartLevel.class).setStartLevel((Integer) bundle[1]);
            installed.start();
        }
    }

    public static Path sampleJar(Path repository, String artifactId) {
        return jar(repository, "org/graft/samples", artifactId);
    }

    /** The one jar of an artifact in the reactor repository (repository layout). */
    public static Path jar(Path repository, String groupPath, String artifactId) {
        Path directory = repository.resolve(groupPath).resolve(artifactId);
        try (Stream<Path> files = Files.walk(directory)) {
            // artifactId-version.jar in the version's folder; a classifier's jar (-tests, -sources) is not the bundle
            List<Path> jars = files.filter(p -> p.getFileName().toString().equals(artifactId + "-" + p.getParent().getFileName() + ".jar"))
                    .collect(Collectors.toList());
            if (jars.size() != 1) {
                throw new IllegalStateException("not one jar of " + artifactId + " in " + directory + ": " + jars);
            }
            return jars.get(0);
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + directory, e);
        }
    }

    /** The service {@code filter} selects, waiting for it up to {@code waitMillis}. */
    public static Object service(BundleContext context, String filter, long waitMillis) throws Exception {
        ServiceTracker<Object, Object> tracker = new ServiceTracker<>(context, context.createFilter(filter), null);
        tracker.open(true);
        Object service = tracker.waitForService(waitMillis);
        if (service == null) {
            throw new IllegalStateException("no service " + filter + " within " + waitMillis + " ms");
        }
        return service;
    }

    public static Bundle bundleNamed(BundleContext context, String symbolicName) {
        return Stream.of(context.getBundles()).filter(b -> symbolicName.equals(b.getSymbolicName())).findFirst()
                .orElseThrow(() -> new IllegalStateException("no bundle " + symbolicName));
    }

    /** An {@code UpdateRequestDTO} for the sample counter to the jar at {@code location}. */
    public static Object counterRequest(BundleContext context, String location) throws Exception {
        Bundle managerBundle = bundleNamed(context, "org.graft.update.manager");
        Object request = managerBundle.loadClass("org.graft.update.dto.UpdateRequestDTO").getConstructor().newInstance();
        Object bundle = managerBundle.loadClass("org.graft.update.dto.BundleUpdateDTO").getMethod("of", String.class, String.class)
                .invoke(null, COUNTER, location);
        @SuppressWarnings("unchecked")
        List<Object> bundles = (List<Object>) field(request, "bundles");
        bundles.add(bundle);
        return request;
    }

    /** Calls the {@code UpdateManager} method of that name and number of parameters. */
    public static Object call(Object manager, String name, Object... arguments) throws Exception {
        Class<?> api = manager.getClass().getClassLoader().loadClass("org.graft.update.UpdateManager");
        for (Method method : api.getMethods()) {
            if (method.getName().equals(name) && method.getParameterCount() == arguments.length) {
                return method.invoke(manager, arguments);
            }
        }
        throw new IllegalStateException("UpdateManager has no method " + name + " of " + arguments.length + " parameters");
    }

    /** A public field of a DTO. */
    public static Object field(Object dto, String name) {
        try {
            return dto.getClass().getField(name).get(dto);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(dto.getClass().getName() + " has no readable field " + name, e);
        }
    }

    public static void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(file);
            }
        }
    }
}
