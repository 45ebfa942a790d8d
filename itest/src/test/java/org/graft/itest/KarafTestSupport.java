package org.graft.itest;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.vmOptions;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.configureConsole;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.karafDistributionConfiguration;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.logLevel;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.PrivilegedAction;
import java.security.PrivilegedActionException;
import java.security.PrivilegedExceptionAction;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import javax.inject.Inject;
import javax.security.auth.Subject;

import org.apache.karaf.features.BootFinished;
import org.apache.karaf.features.DeploymentEvent;
import org.apache.karaf.features.DeploymentListener;
import org.apache.karaf.features.FeaturesService;
import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.jaas.boot.principal.UserPrincipal;
import org.apache.karaf.shell.api.console.Command;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.graft.sample.api.CounterService;
import org.junit.Before;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.karaf.options.LogLevelOption.LogLevel;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The Graft Karaf distribution built by the reactor, booted once per test class (Pax Exam's Karaf
 * container), with helpers to run shell commands and wait for services.
 */
public abstract class KarafTestSupport {
    /** Every wait in a test is bounded by this, so a broken distribution fails instead of hanging. */
    static final long WAIT_SECONDS = 60;
    static final String REACTOR_REPO = "graft.reactor.repo";
    static final String PROJECT_VERSION = "graft.project.version";
    private static final String COMMAND_NOT_FOUND = "org.apache.felix.gogo.runtime.CommandNotFoundException";

    /**
     * Karaf's admin roles (etc/users.properties, admingroup): a session opened from a test has no
     * user, and Karaf's command ACLs hide most commands from nobody ("Command not found") and refuse
     * the rest ("Insufficient credentials").
     */
    static final Subject ADMIN = new Subject(true,
            Set.of(new UserPrincipal("graft-itest"), new RolePrincipal("admin"), new RolePrincipal("manager"),
                    new RolePrincipal("viewer"), new RolePrincipal("systembundles")),
            Set.of(), Set.of());

    /** A user with Karaf's read-only role only. */
    /** Karaf's manager role: edits configurations, but not Graft's (the dsu feature's config ACL). */
    static final Subject MANAGER = new Subject(true,
            Set.of(new UserPrincipal("graft-itest-manager"), new RolePrincipal("manager"), new RolePrincipal("viewer")), Set.of(), Set.of());
    static final Subject VIEWER = new Subject(true,
            Set.of(new UserPrincipal("graft-itest-viewer"), new RolePrincipal("viewer")), Set.of(), Set.of());

    @Inject
    protected BundleContext context;

    @Inject
    protected SessionFactory sessionFactory;

    @Inject
    protected FeaturesService featuresService;

    @Inject
    protected ConfigurationAdmin configurationAdmin;

    /**
     * Injected so that no test starts before the boot features are installed: Karaf registers it once
     * the last boot stage is provisioned. Pax Exam waits for it like for every injected service, up to
     * pax.exam.service.timeout (set by failsafe in itest/pom.xml).
     */
    @Inject
    protected BootFinished bootFinished;


    @Configuration
    public Option[] configuration() throws IOException {
        String karafVersion = System.getProperty("graft.karaf.version");
        String fixtures = FixtureBundles.build().toString();
        return options(
                karafDistributionConfiguration()
                        .frameworkUrl(distributionUrl(karafVersion))
                        .karafVersion(karafVersion)
                        .unpackDirectory(new File(System.getProperty("graft.build.directory"), "exam"))
                        .useDeployFolder(false),
                configureConsole().ignoreLocalConsole().ignoreRemoteShell(),
                logLevel(LogLevel.INFO),
                // The probe runs in Karaf's JVM, which has none of failsafe's system properties: hand over
                // where the reactor put the sample jars, for sampleUrl(...) in the probe.
                editConfigurationFilePut("etc/system.properties", REACTOR_REPO, requiredProperty(REACTOR_REPO)),
                editConfigurationFilePut("etc/system.properties", PROJECT_VERSION, requiredProperty(PROJECT_VERSION)),
                editConfigurationFilePut("etc/system.properties", Fixtures.DIRECTORY, fixtures),
                // Free ports, so that this Karaf does not collide with another one running on the machine.
                editConfigurationFilePut("etc/org.apache.karaf.management.cfg", "rmiRegistryPort", freePort()),
                editConfigurationFilePut("etc/org.apache.karaf.management.cfg", "rmiServerPort", freePort()),
                // Pax Exam starts Karaf with plain java, not bin/karaf: pass bin/karaf's Java 9+ flags, or
                // karaf.log fills with NoClassDefFoundError OsgiLocator (Pax Exam 4.14 already puts lib/boot
                // and lib/jdk9plus on the class path).
                vmOptions(
                        "--add-reads=java.xml=java.logging",
                        "--add-exports=java.base/org.apache.karaf.specs.locator=java.xml,ALL-UNNAMED",
                        "--patch-module", "java.base=lib/endorsed/org.apache.karaf.specs.locator-" + karafVersion + ".jar",
                        "--patch-module", "java.xml=lib/endorsed/org.apache.karaf.specs.java.xml-" + karafVersion + ".jar",
                        "--add-opens", "java.base/java.security=ALL-UNNAMED",
                        "--add-opens", "java.base/java.net=ALL-UNNAMED",
                        "--add-opens", "java.base/java.lang=ALL-UNNAMED",
                        "--add-opens", "java.base/java.util=ALL-UNNAMED",
                        "--add-opens", "java.naming/javax.naming.spi=ALL-UNNAMED",
                        "--add-opens", "java.rmi/sun.rmi.transport.tcp=ALL-UNNAMED",
                        "--add-exports=java.base/sun.net.www.protocol.file=ALL-UNNAMED",
                        "--add-exports=java.base/sun.net.www.protocol.ftp=ALL-UNNAMED",
                        "--add-exports=java.base/sun.net.www.protocol.http=ALL-UNNAMED",
                        "--add-exports=java.base/sun.net.www.protocol.https=ALL-UNNAMED",
                        "--add-exports=java.base/sun.net.www.protocol.jar=ALL-UNNAMED",
                        "--add-exports=java.base/sun.net.www.content.text=ALL-UNNAMED",
                        "--add-exports=jdk.xml.dom/org.w3c.dom.html=ALL-UNNAMED",
                        "--add-exports=jdk.naming.rmi/com.sun.jndi.url.rmi=ALL-UNNAMED",
                        "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
                        "--add-exports=java.security.sasl/com.sun.security.sasl=ALL-UNNAMED",
                        "--add-exports=java.naming/com.sun.jndi.ldap=ALL-UNNAMED",
                        // Karaf's temporary files go under target/, not into the shared machine's /tmp
                        "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir")));
    }

    /**
     * The Karaf the test boots, as a URL: the Graft distribution the reactor built, with dsu started at
     * boot. (A URL, not a Pax Exam option: JUnit reflects on the test class inside the probe, which has
     * none of Pax Exam's option classes.)
     */
    protected String distributionUrl(String karafVersion) {
        return "mvn:org.graft/graft-karaf/" + requiredProperty(PROJECT_VERSION) + "/tar.gz";
    }

    static String requiredProperty(String name) {
        String value = System.getProperty(name);
        if (value == null) {
            throw new IllegalStateException("the test JVM has no system property " + name + " (set by failsafe in itest/pom.xml)");
        }
        return value;
    }

    /**
     * The file URL of a sample bundle built by the reactor, e.g. {@code sampleUrl("counter-v2")}; works in
     * the probe (Karaf's JVM), where {@link #configuration()} put the reactor repository's path.
     */
    static String sampleUrl(String artifactId) {
        return sampleJar(artifactId).toUri().toString();
    }

    /** The sample jar itself: see {@link #sampleUrl(String)}. */
    static Path sampleJar(String artifactId) {
        String version = System.getProperty(PROJECT_VERSION);
        Path jar = Paths.get(String.valueOf(System.getProperty(REACTOR_REPO)),
                "org", "graft", "samples", artifactId, version, artifactId + "-" + version + ".jar");
        if (!Files.isRegularFile(jar)) {
            fail("the reactor did not build " + jar + " (" + REACTOR_REPO + "=" + System.getProperty(REACTOR_REPO) + ")");
        }
        return jar;
    }

    /**
     * Installs the dsu-samples feature unless an earlier test of the class did, and waits for the counter.
     * A test class that calls this must not name a type of the samples (or of Graft) in a field, or in a
     * method's parameters or return type (lambdas' captures included): JUnit reflects on the class in the
     * probe before any test runs, and the probe's dynamic imports cannot find a package not installed yet
     * ({@code ClassNotFoundException ... not found by PAXEXAM-PROBE}). Hold such services in local variables.
     */
    protected void installSamples() throws Exception {
        if (!featuresService.isInstalled(featuresService.getFeature("dsu-samples"))) {
            execute("feature:install dsu-samples");
        }
        awaitService(CounterService.class, null);
    }

    private static String freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return Integer.toString(socket.getLocalPort());
        }
    }

    /**
     * Waits until the features service has no deployment running. BootFinished says the boot stages
     * are done; this also covers a deployment started after them, by an earlier test of the class or
     * by Karaf itself. Karaf tells a DeploymentListener the last deployment event as soon as it
     * registers, then every later one.
     */
    @Before
    public void awaitNoDeployment() throws InterruptedException {
        CountDownLatch finished = new CountDownLatch(1);
        AtomicReference<DeploymentEvent> last = new AtomicReference<>();
        DeploymentListener listener = event -> {
            last.set(event);
            if (event == DeploymentEvent.DEPLOYMENT_FINISHED) {
                finished.countDown();
            }
        };
        featuresService.registerListener(listener);
        try {
            if (!finished.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
                fail("the features service is still deploying after " + WAIT_SECONDS + " s (last event: " + last.get() + ")");
            }
        } finally {
            featuresService.unregisterListener(listener);
        }
    }

    /** Runs a shell command as {@link #ADMIN}: see {@link #execute(Subject, String)}. */
    protected String execute(String command) throws Exception {
        return execute(ADMIN, command);
    }

    /** Runs a command that must fail; returns its exception's message, which must be one line. */
    protected String failure(String command) throws Exception {
        String output;
        try {
            output = execute(command);
        } catch (CommandRefusedException e) {
            throw e;
        } catch (Exception e) {
            String message = e.getMessage();
            assertTrue("a message: " + e, message != null && !message.isBlank());
            assertFalse("one line: " + message, message.contains("\n"));
            return message;
        }
        fail("'" + command + "' succeeded; it printed: " + output);
        return null;
    }

    /**
     * Runs a shell command as {@code subject} and returns what it printed. A command that is not
     * registered yet is retried once it shows up in the shell's registry, until {@link #WAIT_SECONDS}:
     * Karaf registers a bundle's commands after the bundle started, and later still when they need a
     * service that is not there yet ("Command registration delayed").
     *
     * @throws CommandRefusedException if the shell has the command but hides it from {@code subject}
     *         (Karaf's command ACLs hide what a subject may never run)
     */
    protected String execute(Subject subject, String command) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        String name = command.trim().split("\\s+", 2)[0];
        while (true) {
            try {
                return executeOnce(subject, command, deadline);
            } catch (Exception e) {
                // Gogo's exception class is private to Karaf's shell bundle: it is known by its name
                if (!COMMAND_NOT_FOUND.equals(e.getClass().getName())) {
                    throw e;
                }
                if (registered(name)) {
                    throw new CommandRefusedException(command, e);
                }
                // Karaf-Commands are not OSGi services: the extender puts them straight into the session
                // factory's registry, which tells nobody. So there is no event to wait for; poll it.
                poll("the shell registers " + name, () -> registered(name), deadline);
            }
        }
    }

    /**
     * A shell command run in a session of its own, on a thread of its own, so that a test can look at the
     * system (and run other commands) while it runs; {@link #execute} waits for one. Closing it interrupts
     * a command still running.
     */
    final class BackgroundCommand implements AutoCloseable {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final ExecutorService thread = Executors.newSingleThreadExecutor(task -> new Thread(task, "itest-background-shell"));
        private final Session session;
        private final Future<Object> result;

        /** As {@link #ADMIN}. */
        BackgroundCommand(String command) {
            this(ADMIN, command);
        }

        BackgroundCommand(Subject subject, String command) {
            // no System.in for test sessions: Pax Exam's Karaf runner owns the fork's stdin
            PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
            session = sessionFactory.create(new ByteArrayInputStream(new byte[0]), out, out);
            result = thread.submit(() -> Subject.doAs(subject, (PrivilegedExceptionAction<Object>) () -> session.execute(command)));
        }

        boolean done() {
            return result.isDone();
        }

        /** Waits until the command returned, or the deadline (System.nanoTime()) passed: false then. */
        boolean awaitDone(long deadline) throws InterruptedException {
            try {
                result.get(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            } catch (ExecutionException e) {
                // it returned, by throwing: failure() tells what
            } catch (TimeoutException e) {
                return false;
            }
            return true;
        }

        /** What the command threw (unwrapped), or null if it returned; it must be done. */
        Throwable failure() throws InterruptedException {
            try {
                result.get();
                return null;
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                return cause instanceof PrivilegedActionException ? cause.getCause() : cause;
            }
        }

        String output() {
            return bytes.toString(StandardCharsets.UTF_8);
        }

        /**
         * Interrupts the threads that run a dsu:update or dsu:rollback, as Karaf's console does to the
         * foreground job on Ctrl-C; fails if there is none.
         */
        void interruptCommandThread() {
            int interrupted = 0;
            for (java.util.Map.Entry<Thread, StackTraceElement[]> thread : Thread.getAllStackTraces().entrySet()) {
                for (StackTraceElement frame : thread.getValue()) {
                    if (frame.getClassName().equals("org.graft.update.command.ChangingAction")
                            && frame.getMethodName().equals("runWithProgress")) {
                        thread.getKey().interrupt();
                        interrupted++;
                        break;
                    }
                }
            }
            if (interrupted == 0) {
                fail("no thread runs a dsu command to interrupt; the command printed: " + output());
            }
        }

        @Override
        public void close() {
            thread.shutdownNow();
            session.close();
        }
    }

    /** The shell has a command but does not let the session's subject run it. */
    static final class CommandRefusedException extends Exception {
        private static final long serialVersionUID = 1L;

        CommandRefusedException(String command, Exception cause) {
            super("the shell has the command but does not let this subject run it: " + command, cause);
        }
    }

    private String executeOnce(Subject subject, String command, long deadline) throws Exception {
        try (BackgroundCommand running = new BackgroundCommand(subject, command)) {
            if (!running.awaitDone(deadline)) {
                throw new AssertionError("'" + command + "' did not return within " + WAIT_SECONDS + " s; it printed: "
                        + running.output());
            }
            Throwable failure = running.failure();
            if (failure instanceof Exception) {
                throw (Exception) failure;
            }
            if (failure != null) {
                throw new ExecutionException(failure);
            }
            return running.output();
        }
    }

    /**
     * Whether the shell has a command at all, given as {@code scope:name} or {@code name}. Asked as
     * {@link #ADMIN}: the registry shows each subject only the commands its ACLs let it see.
     */
    private boolean registered(String command) {
        int colon = command.indexOf(':');
        String scope = colon < 0 ? null : command.substring(0, colon);
        String name = command.substring(colon + 1);
        return Subject.doAs(ADMIN, (PrivilegedAction<Boolean>) () -> {
            for (Command known : sessionFactory.getRegistry().getCommands()) {
                if (known.getName().equals(name) && (scope == null || known.getScope().equals(scope))) {
                    return true;
                }
            }
            return false;
        });
    }

    /** Waits for a service, up to {@link #WAIT_SECONDS}; {@code filter} may be null. */
    protected <T> T awaitService(Class<T> type, String filter) throws Exception {
        String spec = "(objectClass=" + type.getName() + ")";
        if (filter != null) {
            spec = "(&" + spec + filter + ")";
        }
        ServiceTracker<T, T> tracker = new ServiceTracker<>(context, context.createFilter(spec), null);
        tracker.open();
        try {
            T service = tracker.waitForService(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
            assertNotNull("no service " + spec + " within " + WAIT_SECONDS + " s", service);
            return service;
        } finally {
            tracker.close();
        }
    }

    /** The installed bundle of a symbolic name; fails if there is none. */
    protected Bundle bundle(String symbolicName) {
        for (Bundle bundle : context.getBundles()) {
            if (symbolicName.equals(bundle.getSymbolicName())) {
                return bundle;
            }
        }
        throw new AssertionError("no bundle " + symbolicName + " is installed");
    }

    /** The lines of this Karaf's karaf.log that contain any of {@code words}, for a failure's message. */
    static String karafLog(String... words) {
        Path log = Paths.get(System.getProperty("karaf.data"), "log", "karaf.log");
        try {
            return String.join("\n", Files.readAllLines(log, StandardCharsets.UTF_8).stream()
                    .filter(line -> java.util.Arrays.stream(words).anyMatch(line::contains)).toList());
        } catch (IOException e) {
            return "(" + log + " cannot be read: " + e + ")";
        }
    }

    /** How long {@link #poll} sleeps between two looks at its condition. */
    private static final long POLL_MILLIS = 20;

    /**
     * Checks a condition every {@link #POLL_MILLIS} until it holds; fails at the deadline (a
     * {@link System#nanoTime()}). Only for what announces itself to nobody (a file the update manager
     * writes, the shell's command registry, the test's own callers): what the framework signals is
     * waited for through that signal instead (a ServiceTracker, a DeploymentListener). It sleeps
     * between looks rather than spinning: on a loaded 2-core machine a spinning test takes the CPU
     * from the very Karaf threads it waits for.
     */
    static void poll(String what, BooleanSupplier condition, long deadline) throws InterruptedException {
        while (!condition.getAsBoolean()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                fail("timed out waiting until " + what);
            }
            TimeUnit.NANOSECONDS.sleep(Math.min(left, TimeUnit.MILLISECONDS.toNanos(POLL_MILLIS)));
        }
    }
}
