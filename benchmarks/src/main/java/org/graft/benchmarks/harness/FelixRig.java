package org.graft.benchmarks.harness;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.util.tracker.ServiceTracker;

/**
 * A real Felix framework with the reactor's bundles, as {@code itest}'s {@code HistoryRestartIT} launches
 * it: the container and the update manager at start level 2, SCR and the sample API at 3, the managed
 * sample at 4. The update manager and the container are called reflectively: their classes inside the
 * framework are not this class path's. Bundles are read from {@code benchmarks/target/reactor-repo}
 * (repository layout, copied there by the package phase), or from {@code -Dgraft.reactor.repo=...}.
 */
public final class FelixRig implements AutoCloseable {
    static final long WAIT_MILLIS = TimeUnit.SECONDS.toMillis(60);
    private static final Path REPO = Paths.get(System.getProperty("graft.reactor.repo", "benchmarks/target/reactor-repo"));

    private final Framework framework;
    private final Object updateManager;
    private final Object container;
    private final Bundle managerBundle;
    private final List<ServiceTracker<Object, Object>> trackers = new ArrayList<>();

    private FelixRig(Path storage, String sample) throws Exception {
        if (!Files.isDirectory(REPO)) {
            throw new IllegalStateException("no bundle repository at " + REPO.toAbsolutePath()
                    + ": run `mvn -B -ntp -pl benchmarks -am package -DskipTests -DskipITs` from the project root first,"
                    + " and run the harness from the project root (or pass -Dgraft.reactor.repo=...)");
        }
        Map<String, String> configuration = new HashMap<>();
        configuration.put(Constants.FRAMEWORK_STORAGE, storage.toAbsolutePath().toString());
        configuration.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        configuration.put(Constants.FRAMEWORK_BEGINNING_STARTLEVEL, "5");
        framework = ServiceLoader.load(FrameworkFactory.class).iterator().next().newFramework(configuration);
        framework.start();
        BundleContext context = framework.getBundleContext();
        Object[][] bundles = {
            {jar("org/osgi", "org.osgi.util.function"), 2}, {jar("org/osgi", "org.osgi.util.promise"), 2},
            {jar("org/osgi", "org.osgi.service.component"), 2},
            {jar("com/fasterxml/jackson/core", "jackson-annotations"), 2}, {jar("com/fasterxml/jackson/core", "jackson-core"), 2},
            {jar("com/fasterxml/jackson/core", "jackson-databind"), 2},
            {jar("org/graft", "transformer-api"), 2}, {jar("org/graft", "container"), 2}, {jar("org/graft", "update-manager"), 2},
            {jar("org/apache/felix", "org.apache.felix.scr"), 3}, {sampleJar("sample-api"), 3}, {sampleJar(sample), 4},
        };
        for (Object[] bundle : bundles) {
            Bundle installed = context.installBundle(((Path) bundle[0]).toUri().toString());
            installed.adapt(BundleStartLevel.class).setStartLevel((Integer) bundle[1]);
            installed.start();
        }
        updateManager = service("org.graft.update.UpdateManager");
        container = service("org.graft.container.ServiceContainer");
        managerBundle = Stream.of(context.getBundles())
                .filter(b -> "org.graft.update.manager".equals(b.getSymbolicName())).findFirst().orElseThrow();
    }

    /** Launches a fresh framework (its storage cleaned) with {@code sample} (e.g. "catalog-v1") installed. */
    public static FelixRig launch(Path storage, String sample) throws Exception {
        return new FelixRig(storage, sample);
    }

    /**
     * The registered service (for managed services: the container's proxy) of {@code objectClass}. The
     * tracker stays open until {@link #close()}: a proxy whose service was ungotten is no longer switched
     * by updates (it keeps calling the version it had), so the service must stay gotten while it is used.
     */
    public Object service(String objectClass) throws Exception {
        return track("(objectClass=" + objectClass + ")");
    }

    /**
     * The container's proxy of the managed service {@code api}. The system bundle (whose context this
     * harness uses) sees the managed bundles' own registrations too (the framework calls no find hook
     * for it), so the proxy is picked by its {@code graft.managed} property.
     */
    public Object proxy(String api) throws Exception {
        return track("(&(objectClass=" + api + ")(graft.managed=true))");
    }

    private Object track(String filter) throws Exception {
        BundleContext context = framework.getBundleContext();
        ServiceTracker<Object, Object> tracker = new ServiceTracker<>(context, context.createFilter(filter), null);
        tracker.open(true);
        trackers.add(tracker);
        Object service = tracker.waitForService(WAIT_MILLIS);
        if (service == null) {
            throw new IllegalStateException("no service " + filter + " within " + WAIT_MILLIS + " ms");
        }
        return service;
    }

    /** The method {@code name} of the interface {@code api} as seen from {@code service}'s class loader. */
    public static Method method(Object service, String api, String name, Class<?>... parameters) throws Exception {
        return service.getClass().getClassLoader().loadClass(api).getMethod(name, parameters);
    }

    /** Updates {@code symbolicName} to the jar of {@code sample}; throws unless the update succeeded. */
    public Object update(String symbolicName, String sample) throws Exception {
        return update(symbolicName, sample, true);
    }

    /** As {@link #update(String, String)}, with the rehearsal before the hold on or off. */
    public Object update(String symbolicName, String sample, boolean rehearse) throws Exception {
        Object request = managerBundle.loadClass("org.graft.update.dto.UpdateRequestDTO").getConstructor().newInstance();
        Object bundle = managerBundle.loadClass("org.graft.update.dto.BundleUpdateDTO")
                .getMethod("of", String.class, String.class).invoke(null, symbolicName, sampleJar(sample).toUri().toString());
        @SuppressWarnings("unchecked")
        List<Object> bundles = (List<Object>) field(request, "bundles");
        bundles.add(bundle);
        // a 100 MB conversion on a busy 2-core machine may take longer than the 10 s default
        Object options = field(request, "options");
        options.getClass().getField("transferTimeoutMillis").setLong(options, 300_000L);
        options.getClass().getField("quiescenceTimeoutMillis").setLong(options, 30_000L);
        options.getClass().getField("rehearse").setBoolean(options, rehearse);
        Object report = managerCall("update", request);
        if (!"SUCCEEDED".equals(field(report, "outcome"))) {
            throw new IllegalStateException("update of " + symbolicName + " to " + sample + ": " + field(report, "outcome")
                    + " at " + field(report, "failedStep") + ": " + field(report, "message"));
        }
        return report;
    }

    public Object managerCall(String name, Object... arguments) throws Exception {
        return invoke(updateManager, "org.graft.update.UpdateManager", name, arguments);
    }

    /** The implementation instance now serving the managed service whose interfaces include {@code api}. */
    public Object implementation(String api) throws Exception {
        List<?> services = (List<?>) invoke(container, "org.graft.container.ServiceContainer", "managedServices");
        List<Object> found = new ArrayList<>();
        for (Object service : services) {
            List<?> interfaces = (List<?>) invoke(service, "org.graft.container.ManagedService", "interfaces");
            if (interfaces.contains(api)) {
                found.add(invoke(service, "org.graft.container.ManagedService", "implementation"));
            }
        }
        if (found.size() != 1) {
            throw new IllegalStateException("expected one managed " + api + ", found " + found);
        }
        return found.get(0);
    }

    public List<Bundle> bundles(String symbolicName) {
        return Stream.of(framework.getBundleContext().getBundles()).filter(b -> symbolicName.equals(b.getSymbolicName()))
                .collect(Collectors.toList());
    }

    private Object invoke(Object target, String api, String name, Object... arguments) throws Exception {
        Class<?> type = target.getClass().getClassLoader() == null ? target.getClass()
                : findInterface(target.getClass(), api);
        for (Method method : type.getMethods()) {
            if (method.getName().equals(name) && method.getParameterCount() == arguments.length) {
                return method.invoke(target, arguments);
            }
        }
        throw new IllegalStateException(api + " has no method " + name);
    }

    private static Class<?> findInterface(Class<?> type, String api) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Class<?> i : c.getInterfaces()) {
                if (i.getName().equals(api)) {
                    return i;
                }
            }
        }
        throw new IllegalStateException(type + " does not implement " + api);
    }

    public static Object field(Object dto, String name) throws Exception {
        return dto.getClass().getField(name).get(dto);
    }

    /** A private field of an implementation instance (its state). */
    public static Object privateField(Object instance, String name) throws Exception {
        Field field = instance.getClass().getDeclaredField(name);
        field.setAccessible(true);
        return field.get(instance);
    }

    public static long timing(Object report, String name) throws Exception {
        return (Long) field(field(report, "timings"), name);
    }

    @Override
    public void close() throws Exception {
        trackers.forEach(ServiceTracker::close);
        framework.stop();
        FrameworkEvent event = framework.waitForStop(WAIT_MILLIS);
        if (event.getType() != FrameworkEvent.STOPPED) {
            throw new IllegalStateException("the framework did not stop: " + event);
        }
    }

    static Path sampleJar(String artifactId) {
        return jar("org/graft/samples", artifactId);
    }

    /** The one jar of an artifact in the repository (repository layout). */
    static Path jar(String groupPath, String artifactId) {
        Path directory = REPO.resolve(groupPath).resolve(artifactId);
        try (Stream<Path> files = Files.walk(directory)) {
            // artifactId-version.jar in the version's folder; a classifier's jar (-tests, -sources) is not the bundle
            List<Path> jars = files.filter(p -> p.getFileName().toString().equals(artifactId + "-" + p.getParent().getFileName() + ".jar"))
                    .collect(Collectors.toList());
            if (jars.size() != 1) {
                throw new IllegalStateException("expected one jar of " + artifactId + " in " + directory + ": " + jars);
            }
            return jars.get(0);
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + directory, e);
        }
    }
}
