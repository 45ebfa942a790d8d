package org.graft.itest.crash;

import static org.graft.itest.StandaloneFramework.bundleNamed;
import static org.graft.itest.StandaloneFramework.call;
import static org.graft.itest.StandaloneFramework.counterRequest;
import static org.graft.itest.StandaloneFramework.field;
import static org.graft.itest.StandaloneFramework.installGraftAndCounter;
import static org.graft.itest.StandaloneFramework.launch;
import static org.graft.itest.StandaloneFramework.sampleJar;
import static org.graft.itest.StandaloneFramework.service;

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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.graft.itest.StandaloneFramework;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;

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
    static final String COUNTER = StandaloneFramework.COUNTER;
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
        Framework framework = launch(storage, mode.equals("update"), Map.of());
        if (framework.getState() != Bundle.ACTIVE) {
            throw new IllegalStateException("the framework did not start: " + framework.getState());
        }
        BundleContext context = framework.getBundleContext();
        if (mode.equals("update")) {
            installGraftAndCounter(context, repository);
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
        Object manager = service(context, "(objectClass=org.graft.update.UpdateManager)", WAIT_MILLIS);
        Object counter = service(context, "(&(objectClass=org.graft.sample.api.CounterService)(graft.managed=true))", WAIT_MILLIS);
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
        Class<?> progressType = bundleNamed(context, "org.graft.update.manager").loadClass("org.graft.update.UpdateProgress");
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
        Object request = counterRequest(context, sampleJar(repository, "counter-v2").toUri().toString());
        Object report = call(manager, "update", request, progress);
        say("DONE " + field(report, "outcome") + " failures=" + failures.get());
        parent.readLine();
    }

    private static void check(BundleContext context, Path repository, long launched) throws Exception {
        Object manager = service(context, "(objectClass=org.graft.update.UpdateManager)", WAIT_MILLIS);
        // Recovery runs on the update thread before any request: one that names nothing is rejected there,
        // after it, leaving no record, so once it returns the history is what recovery made of it.
        Object nothing = bundleNamed(context, "org.graft.update.manager").loadClass("org.graft.update.dto.UpdateRequestDTO")
                .getConstructor().newInstance();
        call(manager, "update", nothing);
        List<?> history = (List<?>) call(manager, "history");
        Object counter = service(context, "(&(objectClass=org.graft.sample.api.CounterService)(graft.managed=true))", WAIT_MILLIS);
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
        Object first;
        Object second;
        if (version.equals("1")) {
            first = call(manager, "update", counterRequest(context, sampleJar(repository, "counter-v2").toUri().toString()));
            second = call(manager, "rollback", COUNTER, null);
        } else {
            first = call(manager, "rollback", COUNTER, null);
            second = call(manager, "update", counterRequest(context, sampleJar(repository, "counter-v2").toUri().toString()));
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

    private static Class<?> api(Object counter) throws ClassNotFoundException {
        return counter.getClass().getClassLoader().loadClass("org.graft.sample.api.CounterService");
    }
}
