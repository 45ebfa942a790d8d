package org.graft.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;
import javax.management.remote.JMXConnector;

import org.graft.sample.api.CounterService;
import org.graft.update.testing.JarSigning;
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

/**
 * Graft's MBean through a real JMX connection to Karaf's RMI connector, authenticated by Karaf's JAAS
 * realm and guarded by its JMX ACL: an admin updates and rolls back while callers keep calling, and
 * the history records the jmx channel and the user; a viewer reads but is denied every change, and
 * nothing changes.
 */
@RunWith(PaxExam.class)
@ExamFactory(KarafTestContainerFactory.class)
@ExamReactorStrategy(PerClass.class)
public class KarafJmxIT extends KarafTestSupport {
    private static final String COUNTER = "org.graft.sample.counter";
    private static final String ADMIN_USER = "dsuadmin";
    private static final String ADMIN_PASSWORD = "dsuadmin-secret";
    private static final String VIEWER_USER = "dsuviewer";
    private static final String VIEWER_PASSWORD = "dsuviewer-secret";
    private static final String MANAGER_USER = "dsumanager";
    private static final String MANAGER_PASSWORD = "dsumanager-secret";

    /* No field, parameter or return type (lambdas included) names a sample type: see KarafTestSupport.installSamples. */

    @Override
    @Configuration
    public Option[] configuration() throws IOException {
        // Karaf ships with every user commented out: one with Karaf's admin roles, and one with its read-only
        // role only (users.properties: user = password, roles...)
        SignedJars.make();
        return OptionUtils.combine(super.configuration(),
                editConfigurationFilePut("etc/system.properties", SIGNING, SignedJars.DIRECTORY.toString()),
                editConfigurationFilePut("etc/users.properties", ADMIN_USER, ADMIN_PASSWORD + ",admin,manager,viewer,systembundles"),
                editConfigurationFilePut("etc/users.properties", VIEWER_USER, VIEWER_PASSWORD + ",viewer"),
                editConfigurationFilePut("etc/users.properties", MANAGER_USER, MANAGER_PASSWORD + ",manager,viewer"));
    }

    /** Where the keys and the signed jars are, for the probe (a system property of Karaf's). */
    private static final String SIGNING = "graft.itest.signing";

    /** Made by the driver before Karaf starts, with the JDK's keytool and jarsigner. */
    private static final class SignedJars {
        static final Path DIRECTORY = Paths.get(requiredProperty("graft.build.directory"), "karaf-signing").toAbsolutePath();

        static void make() throws IOException {
            JarSigning signing = new JarSigning(DIRECTORY.resolve("keys"));
            Path publisher = signing.signer("publisher", "publisher");
            Files.copy(signing.trustStore("trust", JarSigning.PASSWORD, publisher, "publisher"), DIRECTORY.resolve("trust.p12"),
                    StandardCopyOption.REPLACE_EXISTING);
            Files.copy(signing.signed(sampleJar("counter-v2"), publisher, "publisher", "counter-v2-signed.jar"),
                    DIRECTORY.resolve("counter-v2-signed.jar"), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Before
    public void samples() throws Exception {
        installSamples();
    }

    @Test
    public void withAKeystoreConfiguredOnlySignedJarsAreAppliedThroughTheShellAndJmx() throws Exception {
        Path signing = Paths.get(requiredProperty(SIGNING));
        String unsigned = sampleUrl("counter-v2");
        String signed = signing.resolve("counter-v2-signed.jar").toUri().toString();
        CounterService counter = awaitService(CounterService.class, null);
        Supplier<String> version = counter::version;
        // as an operator would: config:edit, both keys, config:update, so that they apply together
        execute("config:edit org.graft.update ; config:property-set signature.keystore " + signing.resolve("trust.p12")
                + " ; config:property-set signature.keystore.password " + JarSigning.PASSWORD + " ; config:update");
        try {
            // ConfigAdmin hands the configuration over on a thread of its own; a dry run changes nothing.
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
            poll("the signature policy is in force", () -> dryRunRefusesUnsigned(unsigned), deadline);

            String shell = failure("dsu:update " + COUNTER + " " + unsigned);
            assertTrue(shell, shell.startsWith("Update REFUSED: " + unsigned + " is not signed, and only bundles signed by a certificate"
                    + " in the keystore " + signing.resolve("trust.p12") + " are applied (key signature.keystore of the configuration"
                    + " org.graft.update)"));
            try (JMXConnector connector = KarafJmx.connect(configurationAdmin, ADMIN_USER, ADMIN_PASSWORD)) {
                MBeanServerConnection server = connector.getMBeanServerConnection();
                ObjectName dsu = KarafJmx.awaitMBean(server, "dsu");
                String[] signature = {String.class.getName(), String.class.getName()};
                RuntimeException refused = KarafJmx.invokeExpectingFailure(server, dsu, "update", new Object[] {COUNTER, unsigned}, signature);
                assertTrue(refused.getMessage(), refused.getMessage().contains(unsigned + " is not signed"));
                assertEquals("1", version.get());
                assertEquals("1.0.0", managedVersion(server, dsu, COUNTER));

                String report = (String) server.invoke(dsu, "update", new Object[] {COUNTER, signed}, signature);
                assertTrue(report, report.contains(": SUCCEEDED"));
                assertEquals("2", version.get());
                String rollback = (String) server.invoke(dsu, "rollback", new Object[] {COUNTER}, new String[] {String.class.getName()});
                assertTrue("back to the unsigned 1.0.0, from the archive: " + rollback, rollback.contains("SUCCEEDED"));
                assertEquals("1", version.get());
            }
        } finally {
            execute("config:edit org.graft.update ; config:property-delete signature.keystore ;"
                    + " config:property-delete signature.keystore.password ; config:update");
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
            poll("the signature policy is lifted", () -> !dryRunRefusesUnsigned(unsigned), deadline);
        }
    }

    /** Whether a dry run of the unsigned version 2 is refused for its missing signature (nothing changes either way). */
    private boolean dryRunRefusesUnsigned(String unsigned) {
        try {
            return execute("dsu:update --dry-run " + COUNTER + " " + unsigned).contains("is not signed");
        } catch (Exception e) {
            String message = String.valueOf(e.getMessage());
            if (message.contains("is not signed")) {
                return true;
            }
            throw new AssertionError("the dry run failed otherwise: " + message, e);
        }
    }

    @Test
    public void anAdminUpdatesAndRollsBackOverJmxWhileCallersCall() throws Exception {
        CounterService counter = awaitService(CounterService.class, null);
        ToLongFunction<String> increment = counter::increment;
        Supplier<String> version = counter::version;
        long before = counter.increment("jmx");
        try (JMXConnector connector = KarafJmx.connect(configurationAdmin, ADMIN_USER, ADMIN_PASSWORD)) {
            MBeanServerConnection server = connector.getMBeanServerConnection();
            ObjectName dsu = KarafJmx.awaitMBean(server, "dsu");
            assertEquals("1.0.0", managedVersion(server, dsu, COUNTER));

            String report;
            Callers callers = new Callers(2, "karaf-jmx", index -> increment.applyAsLong("jmx-" + index)).start();
            try {
                long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
                poll("the callers call", () -> callers.totalSuccesses() > 1000, deadline);
                report = (String) server.invoke(dsu, "update", new Object[] {COUNTER, sampleUrl("counter-v2")},
                        new String[] {String.class.getName(), String.class.getName()});
                long after = callers.totalSuccesses();
                poll("calls go on after the update", () -> callers.totalSuccesses() > after + 1000, deadline);
            } finally {
                callers.close();
            }
            System.out.println("JMX update under load: " + callers.totalSuccesses() + " calls, " + callers.failures().size() + " failed");
            assertTrue("calls failed: " + callers.failures(), callers.failures().isEmpty());
            assertTrue(report, report.contains(": SUCCEEDED"));
            assertTrue("the report is the one dsu:status prints, steps included: " + report, report.contains("  swap "));
            assertEquals("2", version.get());
            assertEquals("the state was carried", before + 1, counter.increment("jmx"));
            assertEquals("2.0.0", managedVersion(server, dsu, COUNTER));

            CompositeData last = lastHistoryRow(server, dsu);
            assertEquals("SUCCEEDED", last.get("Outcome"));
            assertEquals("the history names the channel", "jmx", last.get("Channel"));
            assertEquals("and the JMX connection's user", ADMIN_USER, last.get("User"));
            String status = (String) server.getAttribute(dsu, "Status");
            assertTrue(status, status.contains("Asked through jmx by " + ADMIN_USER));
            String logged = karafLog("(jmx, user " + ADMIN_USER + ")");
            assertTrue("the log names the update, its channel and user: " + logged,
                    logged.contains("Graft update " + last.get("Id") + " SUCCEEDED"));

            String rollback = (String) server.invoke(dsu, "rollback", new Object[] {COUNTER}, new String[] {String.class.getName()});
            assertTrue(rollback, rollback.startsWith("Rollback "));
            assertEquals("1", version.get());
            assertEquals("1.0.0", managedVersion(server, dsu, COUNTER));
        }
    }

    @Test
    public void anUpdateThatIsRefusedOrInvalidThrowsWithItsReasonAndChangesNothing() throws Exception {
        CounterService counter = awaitService(CounterService.class, null);
        try (JMXConnector connector = KarafJmx.connect(configurationAdmin, ADMIN_USER, ADMIN_PASSWORD)) {
            MBeanServerConnection server = connector.getMBeanServerConnection();
            ObjectName dsu = KarafJmx.awaitMBean(server, "dsu");
            int historyBefore = history(server, dsu).size();
            String[] signature = {String.class.getName(), String.class.getName()};

            RuntimeException refused = KarafJmx.invokeExpectingFailure(server, dsu, "update",
                    new Object[] {COUNTER, Fixtures.url("counter-v2-drops-field")}, signature);
            assertTrue("a refusal is thrown as its report, naming the field: " + refused,
                    refused instanceof IllegalStateException && refused.getMessage().contains("REFUSED")
                            && refused.getMessage().contains("'operations'"));
            assertEquals("a refused update is recorded", historyBefore + 1, history(server, dsu).size());

            RuntimeException invalid = KarafJmx.invokeExpectingFailure(server, dsu, "update",
                    new Object[] {"org.graft.no.such.bundle", sampleUrl("counter-v2")}, signature);
            assertTrue("invalid input is an IllegalArgumentException naming the bundle: " + invalid,
                    invalid instanceof IllegalArgumentException && invalid.getMessage().contains("org.graft.no.such.bundle"));
            assertEquals("invalid input is not an update in the history", historyBefore + 1, history(server, dsu).size());
        }
        assertEquals("1", counter.version());
        assertEquals("1.0.0", bundle(COUNTER).getVersion().toString());
    }

    @Test
    public void aViewerReadsButIsDeniedEveryChange() throws Exception {
        CounterService counter = awaitService(CounterService.class, null);
        try (JMXConnector connector = KarafJmx.connect(configurationAdmin, VIEWER_USER, VIEWER_PASSWORD)) {
            MBeanServerConnection server = connector.getMBeanServerConnection();
            ObjectName dsu = KarafJmx.awaitMBean(server, "dsu");
            assertEquals("a viewer lists the managed services", "1.0.0", managedVersion(server, dsu, COUNTER));
            int historyBefore = history(server, dsu).size();
            server.getAttribute(dsu, "Status");
            // Karaf's generic JMX ACL gives an operation named so to admin only; Graft's ACL lets a viewer read
            // a report: passing the guard, this one fails only because there is no such update
            RuntimeException noSuchReport = KarafJmx.invokeExpectingFailure(server, dsu, "report", new Object[] {999_999L},
                    new String[] {long.class.getName()});
            assertTrue("Graft's JMX ACL lets a viewer read reports: " + noSuchReport, noSuchReport instanceof IllegalArgumentException
                    && noSuchReport.getMessage().contains("no update 999999"));

            String[] two = {String.class.getName(), String.class.getName()};
            KarafJmx.expectDenied(server, dsu, "update", new Object[] {COUNTER, sampleUrl("counter-v2")}, two);
            KarafJmx.expectDenied(server, dsu, "plan", new Object[] {COUNTER, sampleUrl("counter-v2")}, two);
            KarafJmx.expectDenied(server, dsu, "rollback", new Object[] {COUNTER}, new String[] {String.class.getName()});
            KarafJmx.expectDenied(server, dsu, "updateFeature", new Object[] {"dsu-samples/1.0.0"}, new String[] {String.class.getName()});
            assertEquals("a denied call is not an update in the history", historyBefore, history(server, dsu).size());
        }
        assertEquals("1", counter.version());
        assertEquals("1.0.0", bundle(COUNTER).getVersion().toString());
    }

    /**
     * Karaf lets a manager edit configurations, but Graft's move or open update channels (the watch
     * folder, the locations updates read): the feature's ACL gives them to admin, like dsu:update.
     */
    @Test
    public void aManagerEditsOtherConfigurationsButNotGraftsOverJmx() throws Exception {
        try (JMXConnector connector = KarafJmx.connect(configurationAdmin, MANAGER_USER, MANAGER_PASSWORD)) {
            MBeanServerConnection server = connector.getMBeanServerConnection();
            ObjectName config = new ObjectName("org.apache.karaf:type=config,name=" + System.getProperty("karaf.name"));
            String[] signature = {String.class.getName(), String.class.getName(), String.class.getName()};
            server.invoke(config, "setProperty", new Object[] {"org.example.ordinary", "key", "value"}, signature);
            for (String pid : List.of("org.graft.update", "org.graft.container")) {
                try {
                    server.invoke(config, "setProperty", new Object[] {pid, "watch.folder", "/tmp/elsewhere"}, signature);
                    throw new AssertionError("a manager may not change " + pid);
                } catch (SecurityException e) {
                    assertTrue("the guard refuses it: " + e.getMessage(), e.getMessage() != null);
                }
            }
        }
        assertTrue("the watch folder did not move: " + configurationAdmin.getConfiguration("org.graft.update", null).getProperties(),
                !"/tmp/elsewhere".equals(configurationAdmin.getConfiguration("org.graft.update", null).getProperties().get("watch.folder")));
    }

    private static String managedVersion(MBeanServerConnection server, ObjectName dsu, String service) throws Exception {
        TabularData services = (TabularData) server.getAttribute(dsu, "ManagedServices");
        CompositeData row = services.get(new Object[] {service});
        if (row == null) {
            fail("ManagedServices has no row for " + service + ": " + services.keySet());
        }
        return (String) row.get("Version");
    }

    private static List<CompositeData> history(MBeanServerConnection server, ObjectName dsu) throws Exception {
        List<CompositeData> rows = new ArrayList<>();
        for (Object row : ((TabularData) server.getAttribute(dsu, "History")).values()) {
            rows.add((CompositeData) row);
        }
        rows.sort((a, b) -> Long.compare((Long) a.get("Id"), (Long) b.get("Id")));
        return rows;
    }

    private static CompositeData lastHistoryRow(MBeanServerConnection server, ObjectName dsu) throws Exception {
        List<CompositeData> rows = history(server, dsu);
        assertTrue("the history is not empty", !rows.isEmpty());
        return rows.get(rows.size() - 1);
    }


}
