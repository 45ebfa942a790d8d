package org.graft.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.vmOptions;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.replaceConfigurationFile;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.function.Supplier;

import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;

import org.graft.sample.api.CounterService;
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
 * The {@code dsu-cluster} feature in the Graft distribution, as a group of one: it installs with
 * Cellar's Hazelcast cluster, a rollout and its rollback run through the MBean and the shell, a
 * request the group cannot take is refused with nothing changed, and Karaf's JMX ACL lets a viewer
 * read the status but not roll out. The rollout across three nodes is {@link KarafClusterIT}.
 */
@RunWith(PaxExam.class)
@ExamFactory(KarafTestContainerFactory.class)
@ExamReactorStrategy(PerClass.class)
public class KarafClusterFeatureIT extends KarafTestSupport {
    private static final String COUNTER = "org.graft.sample.counter";
    private static final String ADMIN_USER = "clusteradmin";
    private static final String ADMIN_PASSWORD = "clusteradmin-secret";
    private static final String VIEWER_USER = "clusterviewer";
    private static final String VIEWER_PASSWORD = "clusterviewer-secret";
    private static final String[] UPDATE_SIGNATURE = {String.class.getName(), String.class.getName(), String.class.getName(),
            String.class.getName(), long.class.getName(), long.class.getName(), long.class.getName()};
    private static final String[] GROUP_SIGNATURE = {String.class.getName()};

    /* No field, parameter or return type (lambdas included) names a sample type: see KarafTestSupport.installSamples. */

    @Override
    @Configuration
    public Option[] configuration() throws IOException {
        return OptionUtils.combine(super.configuration(),
                // before Cellar's feature installs: Karaf keeps an existing file rather than Cellar's default
                replaceConfigurationFile("etc/hazelcast.xml", loopbackHazelcast()),
                editConfigurationFilePut("etc/users.properties", ADMIN_USER, ADMIN_PASSWORD + ",admin,manager,viewer,systembundles"),
                editConfigurationFilePut("etc/users.properties", VIEWER_USER, VIEWER_PASSWORD + ",viewer"),
                // Hazelcast 3.12 reaches into the JDK's internals
                vmOptions("--add-modules", "java.se", "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
                        "--add-opens", "java.base/java.nio=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
                        "--add-opens", "java.management/sun.management=ALL-UNNAMED",
                        "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED"));
    }

    /** A group of this node alone, on a free port of 127.0.0.1, no multicast. */
    private static File loopbackHazelcast() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path file = Paths.get(requiredProperty("graft.build.directory"), "cluster-feature", "hazelcast.xml");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "<hazelcast xmlns=\"http://www.hazelcast.com/schema/config\">\n"
                + "  <group><name>graft-itest-" + port + "</name><password>graft-itest</password></group>\n"
                + "  <properties><property name=\"hazelcast.phone.home.enabled\">false</property>"
                + "<property name=\"hazelcast.socket.bind.any\">false</property></properties>\n"
                + "  <network>\n"
                + "    <port auto-increment=\"false\" port-count=\"1\">" + port + "</port>\n"
                + "    <join><multicast enabled=\"false\"/><tcp-ip enabled=\"true\"><member-list><member>127.0.0.1:" + port
                + "</member></member-list></tcp-ip><aws enabled=\"false\"/></join>\n"
                + "    <interfaces enabled=\"true\"><interface>127.0.0.1</interface></interfaces>\n"
                + "  </network>\n"
                + "</hazelcast>\n", StandardCharsets.UTF_8);
        return file.toFile();
    }

    @Before
    public void clusterFeature() throws Exception {
        installSamples();
        if (!featuresService.isInstalled(featuresService.getFeature("dsu-cluster"))) {
            execute("feature:install dsu-cluster");
        }
        // the feature's JMX ACL, which Karaf's guard reads from ConfigAdmin at each call
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        poll("the dsu-cluster feature's JMX ACL is configured", () -> {
            try {
                var acl = configurationAdmin.getConfiguration("jmx.acl.org.apache.karaf.dsucluster", null).getProperties();
                return acl != null && "viewer".equals(acl.get("clusterStatus"));
            } catch (IOException e) {
                throw new IllegalStateException("ConfigAdmin failed: " + e.getMessage(), e);
            }
        }, deadline);
    }

    @Test
    public void aGroupOfOneRollsOutAndBackThroughJmxAndTheShell() throws Exception {
        CounterService counter = awaitService(CounterService.class, null);
        Supplier<String> version = counter::version;
        try (JMXConnector connector = KarafJmx.connect(configurationAdmin, ADMIN_USER, ADMIN_PASSWORD)) {
            MBeanServerConnection server = connector.getMBeanServerConnection();
            ObjectName cluster = KarafJmx.awaitMBean(server, "dsucluster");

            RuntimeException refused = KarafJmx.invokeExpectingFailure(server, cluster, "clusterUpdate",
                    new Object[] {"no-such-group", COUNTER, sampleUrl("counter-v2"), "", 0L, 0L, 0L}, UPDATE_SIGNATURE);
            assertTrue(String.valueOf(refused), refused instanceof IllegalStateException
                    && refused.getMessage().startsWith("REFUSED: this node (")
                    && refused.getMessage().contains("is not in the group no-such-group"));
            assertEquals("a refused rollout changes nothing", "1", version.get());

            String rollout = (String) server.invoke(cluster, "clusterUpdate",
                    new Object[] {"default", COUNTER, sampleUrl("counter-v2"), "", 0L, 0L, 0L}, UPDATE_SIGNATURE);
            assertTrue(rollout, rollout.contains("in group default: SUCCEEDED") && rollout.contains(" UPDATED "));
            assertEquals("2", version.get());

            String status = execute("dsu:cluster-status default");
            assertTrue(status, status.contains("in group default: SUCCEEDED"));

            String back = (String) server.invoke(cluster, "clusterRollback", new Object[] {"default"}, GROUP_SIGNATURE);
            assertTrue(back, back.contains("in group default: ROLLED_BACK") && back.contains(" ROLLED_BACK "));
            assertEquals("1", version.get());
        }
    }

    @Test
    public void aViewerReadsTheStatusButMayNotRollOutOrBack() throws Exception {
        CounterService counter = awaitService(CounterService.class, null);
        try (JMXConnector connector = KarafJmx.connect(configurationAdmin, VIEWER_USER, VIEWER_PASSWORD)) {
            MBeanServerConnection server = connector.getMBeanServerConnection();
            ObjectName cluster = KarafJmx.awaitMBean(server, "dsucluster");
            String status = (String) server.invoke(cluster, "clusterStatus", new Object[] {"default"}, GROUP_SIGNATURE);
            assertTrue(status, status.contains("default"));
            KarafJmx.expectDenied(server, cluster, "clusterUpdate",
                    new Object[] {"default", COUNTER, sampleUrl("counter-v2"), "", 0L, 0L, 0L}, UPDATE_SIGNATURE);
            KarafJmx.expectDenied(server, cluster, "clusterRollback", new Object[] {"default"}, GROUP_SIGNATURE);
        }
        assertEquals("1", counter.version());
    }
}
