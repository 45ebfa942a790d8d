package org.graft.itest.crash;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
 * The process {@code CrashPointIT} kills: a Felix framework with Graft and the sample counter, on a
 * storage folder that outlives it. It talks to its parent in lines that start with {@value #PREFIX} on
 * stdout (Graft's own log goes to stderr).
 *
 * <ul>
 * <li>{@code update}: installs everything (first launch), starts two nonstop callers, says
 * {@code READY}, updates the counter 1 -> 2 and, at every step the update reports, says
 * {@code STEP <name>} and waits for a line on stdin before it lets the update go on: the parent
 * kills it there, or a random time after letting it go on.</li>
 * <li>{@code check}: starts on the same storage, waits for recovery, says what it finds
 * ({@code CHECK key=value}), then updates and rolls back once more and says how that went.</li>
 * </ul>
 *
 * Talks to Graft by reflection: its classes live in the framework, not on this process's class path.
 */
public final class CrashChild {
    static final String PREFIX = "CRASH ";
    static final String COUNTER = "org.graft.sample.counter";
    private static final long WAIT_MILLIS = TimeUnit.SECONDS.toMillis(60);
    private static final PrintStream OUT = System.out;

    private CrashChild() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        Path storage = Paths.get(args[1]);
        Path repository = Paths.get(args[2]);
        // Graft logs through java.util.logging's console handler (stderr); the protocol is stdout's alone.
        System.setOut(System.err);
        long launched = System.nanoTime();
        Framework framework = launch(storage, mode.equals("update"));
        BundleContext context = framework.getBundleContext();
        if (mode.equals("update")) {
            install(context, repository);
            update(context, repository);
        } else {
            check(context, repository, launched);
            framework.stop();
            framework.waitForStop(WAIT_MILLIS);
        }
        System.exit(0);
    }

    private static void say(String line) {
        OUT.println(PREFIX + line);
        OUT.flush();
    }

    private static void update(BundleContext context, Path repository) throws Exception {
        Object manager = service(context, "(objectClass=org.graft.update.UpdateManager)");
        Object counter = service(context, "(&(objectClass=org.graft.sample.api.CounterService)(graft.managed=true))");
        Method increment = api(counter).getMethod("increment", String.class);
        AtomicLong failures = new AtomicLong();
        for (int i = 0; i < 2; i++) {
            String key = "c-" + i;
            Thread caller = new Thread(() -> {
                for (;;) {
                    try {
                        increment.invoke(counter, key);
                    } catch (ReflectiveOperationException | RuntimeException e) {
                        failures.incrementAndGet();
                    }
                }
            }, "caller-" + i);
            caller.setDaemon(true);
            caller.start();
        }
        BufferedReader parent = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        Bundle managerBundle = bundleNamed(context, "org.graft.update.manager");
        Class<?> progressType = managerBundle.loadClass("org.graft.update.UpdateProgress");
        Object progress = Proxy.newProxyInstance(progressType.getClassLoader(), new Class<?>[] {progressType}, (proxy, method, arguments) -> {
            if (method.getName().equals("stepEnded")) {
                say("STEP " + arguments[1].getClass().getField("name").get(arguments[1]));
                // the parent kills this process here, or a random time after this line
                parent.readLine();
                return null;
            }
            throw new UnsupportedOperationException(method.getName());
        });
        say("READY");
        parent.readLine();
        Object request = request(managerBundle, sampleJar(repository, "counter-v2"));
        Object report = call(manager, "update", request, progress);
        say("DONE " + field(report, "outcome") + " failures=" + failures.get());
        parent.readLine();
    }

    private static void check(BundleContext context, Path repository, long launched) throws Exception {
        Object manager = service(context, "(objectClass=org.graft.update.UpdateManager)");
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        List<?> history = (List<?>) call(manager, "history");
        while (history.stream().anyMatch(r -> "IN_PROGRESS".equals(field(r, "outcome"))) && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
            history = (List<?>) call(manager, "history");
        }
        Object counter = service(context, "(&(objectClass=org.graft.sample.api.CounterService)(graft.managed=true))");
        String version = (String) api(counter).getMethod("version").invoke(counter);
        long recoveryMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - launched);
        List<Bundle> counters = Stream.of(context.getBundles()).filter(b -> COUNTER.equals(b.getSymbolicName())).toList();
        Map<String, String> found = new HashMap<>();
        found.put("recoveryMillis", String.valueOf(recoveryMillis));
        found.put("serving", version);
        found.put("counters", counters.stream().map(b -> b.getVersion() + "@" + state(b)).collect(Collectors.joining(",")));
        found.put("bundles", String.valueOf(context.getBundles().length));
        found.put("history", history.stream().map(r -> field(r, "outcome") + ":" + field(r, "failedStep"))
                .collect(Collectors.joining(",")));
        found.put("messages", history.stream().map(r -> String.valueOf(field(r, "message")).replace(' ', '_'))
                .collect(Collectors.joining("|")));
        Path data = Paths.get(context.getProperty(Constants.FRAMEWORK_STORAGE));
        found.put("archive", list(data, "archive"));
        found.put("journal", list(data, "journal"));
        for (Map.Entry<String, String> entry : found.entrySet()) {
            say("CHECK " + entry.getKey() + "=" + entry.getValue());
        }
        Bundle managerBundle = bundleNamed(context, "org.graft.update.manager");
        Object first;
        Object second;
        if (version.equals("1")) {
            first = call(manager, "update", request(managerBundle, sampleJar(repository, "counter-v2")));
            second = call(manager, "rollback", COUNTER, null);
        } else {
            first = call(manager, "rollback", COUNTER, null);
            second = call(manager, "update", request(managerBundle, sampleJar(repository, "counter-v2")));
        }
        say("CHECK next=" + field(first, "outcome") + "," + field(second, "outcome"));
        say("CHECK nextMessages=" + (field(first, "message") + " | " + field(second, "message")).replace(' ', '_'));
        say("CHECKED");
    }

    /** The files of the update manager's data folder {@code name}, wherever Felix put the bundle's data. */
    private static String list(Path storage, String name) throws IOException {
        try (Stream<Path> files = Files.walk(storage)) {
            Path folder = files.filter(p -> p.getFileName().toString().equals(name) && Files.isDirectory(p)).findFirst().orElse(null);
            if (folder == null) {
                return "";
            }
            try (Stream<Path> inside = Files.list(folder)) {
                return inside.map(p -> p.getFileName().toString()).sorted().collect(Collectors.joining(","));
            }
        }
    }

    private static String state(Bundle bundle) {
        return switch (bundle.getState()) {
            case Bundle.ACTIVE -> "ACTIVE";
            case Bundle.RESOLVED -> "RESOLVED";
            case Bundle.INSTALLED -> "INSTALLED";
            default -> String.valueOf(bundle.getState());
        };
    }

    private static Framework launch(Path storage, boolean clean) throws Exception {
        Map<String, String> configuration = new HashMap<>();
        configuration.put(Constants.FRAMEWORK_STORAGE, storage.toAbsolutePath().toString());
        if (clean) {
            configuration.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        }
        configuration.put(Constants.FRAMEWORK_BEGINNING_STARTLEVEL, "5");
        Framework framework = ServiceLoader.load(FrameworkFactory.class).iterator().next().newFramework(configuration);
        framework.start();
        if (framework.getState() != Bundle.ACTIVE) {
            throw new IllegalStateException("the framework did not start: " + framework.getState());
        }
        return framework;
    }

    /** The bundles of the Pax Exam tests, with the same start levels: container before managed bundles. */
    private static void install(BundleContext context, Path repository) throws Exception {
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

    static Path sampleJar(Path repository, String artifactId) throws IOException {
        return jar(repository, "org/graft/samples", artifactId);
    }

    /** The one jar of an artifact in the reactor repository (repository layout). */
    static Path jar(Path repository, String groupPath, String artifactId) throws IOException {
        Path directory = repository.resolve(groupPath).resolve(artifactId);
        try (Stream<Path> files = Files.walk(directory)) {
            List<Path> jars = files.filter(p -> p.getFileName().toString().startsWith(artifactId + "-")
                    && p.getFileName().toString().endsWith(".jar")).collect(Collectors.toCollection(ArrayList::new));
            if (jars.size() != 1) {
                throw new IllegalStateException("not one jar of " + artifactId + " in " + directory + ": " + jars);
            }
            return jars.get(0);
        }
    }

    private static Bundle bundleNamed(BundleContext context, String symbolicName) {
        return Stream.of(context.getBundles()).filter(b -> symbolicName.equals(b.getSymbolicName())).findFirst()
                .orElseThrow(() -> new IllegalStateException("no bundle " + symbolicName));
    }

    private static Object service(BundleContext context, String filter) throws Exception {
        ServiceTracker<Object, Object> tracker = new ServiceTracker<>(context, context.createFilter(filter), null);
        tracker.open(true);
        Object service = tracker.waitForService(WAIT_MILLIS);
        if (service == null) {
            throw new IllegalStateException("no service " + filter + " within " + WAIT_MILLIS + " ms");
        }
        return service;
    }

    private static Class<?> api(Object counter) throws ClassNotFoundException {
        return counter.getClass().getClassLoader().loadClass("org.graft.sample.api.CounterService");
    }

    private static Object request(Bundle managerBundle, Path jar) throws Exception {
        Object request = managerBundle.loadClass("org.graft.update.dto.UpdateRequestDTO").getConstructor().newInstance();
        Object bundle = managerBundle.loadClass("org.graft.update.dto.BundleUpdateDTO").getMethod("of", String.class, String.class)
                .invoke(null, COUNTER, jar.toUri().toString());
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
        throw new IllegalStateException("UpdateManager has no method " + name + " of " + arguments.length + " parameters");
    }

    private static Object field(Object dto, String name) {
        try {
            return dto.getClass().getField(name).get(dto);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
