package org.graft.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.Dictionary;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.security.auth.Subject;

import org.graft.sample.api.CounterService;
import org.graft.update.UpdateManager;
import org.graft.update.dto.ManagedServiceDTO;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.ExamFactory;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.karaf.container.internal.KarafTestContainerFactory;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.wiring.BundleWire;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.service.cm.Configuration;

/**
 * The distribution the reactor builds: it boots with the dsu feature, installs the samples from its
 * own repository, serves them through the container, and ships Graft's configuration and command ACL.
 */
@RunWith(PaxExam.class)
@ExamFactory(KarafTestContainerFactory.class)
@ExamReactorStrategy(PerClass.class)
public class KarafFeaturesIT extends KarafTestSupport {
    private static final String UPDATE_MANAGER = "org.graft.update.UpdateManager";

    @Test
    public void samplesInstalledAfterBootAreServedThroughTheContainer() throws Exception {
        assertTrue("dsu is installed at boot", featuresService.isInstalled(featuresService.getFeature("dsu")));
        for (String graft : List.of("org.graft.transformer.api", "org.graft.container", "org.graft.update.manager")) {
            Bundle bundle = bundle(graft);
            assertEquals(graft + " is active", Bundle.ACTIVE, bundle.getState());
            assertEquals(graft + " starts before the samples", 70, bundle.adapt(BundleStartLevel.class).getStartLevel());
            assertTrue(graft + " says its license", String.valueOf(bundle.getHeaders().get("Bundle-License")).startsWith("Apache-2.0;"));
        }
        assertFalse("dsu-samples is available but not installed at boot",
                featuresService.isInstalled(featuresService.getFeature("dsu-samples")));
        // Looked up by name: this class must not load the UpdateManager interface before the check below.
        ServiceReference<?> managerBefore = context.getServiceReference(UPDATE_MANAGER);
        assertNotNull("the update manager serves after boot", managerBefore);

        execute("feature:install dsu-samples");

        assertTrue(featuresService.isInstalled(featuresService.getFeature("dsu-samples")));
        assertEquals(80, bundle("org.graft.sample.counter").adapt(BundleStartLevel.class).getStartLevel());
        CounterService counter = awaitService(CounterService.class, null);
        ServiceReference<CounterService>[] visible = serviceReferences(CounterService.class);
        assertEquals("the original registration is hidden; only the proxy is seen", 1, visible.length);
        ServiceReference<CounterService> proxy = visible[0];
        assertEquals("org.graft.container", proxy.getBundle().getSymbolicName());
        assertEquals(Boolean.TRUE, proxy.getProperty("graft.managed"));
        assertEquals("org.graft.sample.counter", proxy.getProperty("graft.identity"));
        assertEquals(1, counter.increment("karaf"));

        ServiceReference<?> managerAfter = context.getServiceReference(UPDATE_MANAGER);
        assertEquals("installing the samples (and SCR) does not restart the update manager",
                managerBefore.getProperty("service.id"), managerAfter.getProperty("service.id"));
        UpdateManager manager = awaitService(UpdateManager.class, null);
        ManagedServiceDTO managed = managedService(manager.managedServices(), "org.graft.sample.counter");
        assertEquals("org.graft.sample.counter", managed.bundle);
        assertEquals(List.of(CounterService.class.getName()), managed.interfaces);
        // proxy.link is counted unless configured: every call is counted.
        assertEquals("counted", managed.link);
        assertTrue("the call above went through the proxy", managed.callsServed >= 1);
        String list = execute("dsu:list --no-format");
        assertTrue("dsu:list names the counter and its link: " + list,
                list.lines().anyMatch(row -> row.startsWith("org.graft.sample.counter") && row.contains("counted")));
    }

    @Test
    public void dsuShipsGraftConfigurationAndTheDsuCommandAcl() throws Exception {
        Dictionary<String, Object> acl = configuration("org.apache.karaf.command.acl.dsu");
        assertEquals("admin", acl.get("update"));
        assertEquals("admin", acl.get("rollback"));
        assertEquals("viewer", acl.get("list"));
        assertEquals("viewer", acl.get("status"));
        assertEquals("viewer", acl.get("history"));
        // and the shell applies it: a viewer reads, only an admin changes
        execute(VIEWER, "dsu:list");
        execute(VIEWER, "dsu:status");
        execute(VIEWER, "dsu:history");
        // --help: the ACL decides whether a subject sees the command at all; help changes nothing
        assertRefused(VIEWER, "dsu:update --help");
        assertRefused(VIEWER, "dsu:rollback --help");
        assertTrue(execute(ADMIN, "dsu:update --help").contains("dsu:update"));
        assertTrue(execute(ADMIN, "dsu:rollback --help").contains("dsu:rollback"));

        Dictionary<String, Object> update = configuration("org.graft.update");
        assertEquals("${karaf.base} is resolved when Karaf reads etc/org.graft.update.cfg",
                System.getProperty("karaf.base") + "/dsu", update.get("watch.folder"));
        assertEquals("1000", update.get("watch.interval.ms"));

        Dictionary<String, Object> container = configuration("org.graft.container");
        assertEquals("", container.get("managed.bundles"));
        assertEquals("60000", container.get("hold.max.ms"));
    }

    /**
     * Graft's configurations move or open update channels: the feature appends them to Karaf's ACL of the
     * config commands, so a manager, who may edit other configurations, may not edit Graft's.
     */
    @Test
    public void aManagerEditsOtherConfigurationsButNotGraftsInTheShell() throws Exception {
        Dictionary<String, Object> acl = configuration("org.apache.karaf.command.acl.config");
        assertEquals("Karaf's own entries stay", "manager", acl.get("property-set"));
        assertEquals("admin", acl.get("property-set[/.*org[.]graft[.].*/]"));
        execute(MANAGER, "config:property-set -p org.example.ordinary key value");
        assertEquals("value", configuration("org.example.ordinary").get("key"));
        for (String command : List.of("config:property-set -p org.graft.update watch.folder /tmp/elsewhere",
                "config:edit org.graft.update", "config:property-delete -p org.graft.update watch.folder")) {
            try {
                String output = execute(MANAGER, command);
                throw new AssertionError("a manager ran '" + command + "'; it printed: " + output);
            } catch (SecurityException | CommandRefusedException expected) {
                // the outcome this test is about
            }
        }
        assertEquals(System.getProperty("karaf.base") + "/dsu", configuration("org.graft.update").get("watch.folder"));
    }

    /*
     * The two tests below hold the distribution to what keeps its boot free of races: the test probe
     * (and anything else added to featuresBoot) comes after the distribution's own boot stage, and the
     * boot restarts none of the bundles Karaf started with. Without them the failure shows only now and
     * then, as a class that cannot install its probe or a boot that hangs.
     */

    @Test
    public void theDistributionBootsItsFeaturesAsAStageOfTheirOwn() throws IOException {
        String boot = featuresCfg().getProperty("featuresBoot", "").replaceAll("\\s+", "");
        Matcher stages = Pattern.compile("\\(([^()]*)\\)(.*)").matcher(boot);
        assertTrue("featuresBoot begins with one stage in parentheses: " + boot, stages.matches());
        List<String> first = List.of(stages.group(1).split(","));
        for (String feature : List.of("shell", "feature", "ssh", "management", "dsu")) {
            assertTrue(feature + " is in the first stage: " + boot,
                    first.stream().anyMatch(f -> f.equals(feature) || f.startsWith(feature + "/")));
        }
        assertTrue("Pax Exam's features come after it, in a stage of their own: " + boot,
                List.of(stages.group(2).split(",")).contains("exam"));
    }

    @Test
    public void eventAdminStartsWithTheFrameworkSoTheBootRefreshesNoStartupBundle() {
        Bundle eventAdmin = bundle("org.apache.karaf.services.eventadmin");
        Bundle features = bundle("org.apache.karaf.features.core");
        assertTrue("Event Admin starts before the features service",
                eventAdmin.adapt(BundleStartLevel.class).getStartLevel()
                        <= features.adapt(BundleStartLevel.class).getStartLevel());
        // Both import org.osgi.service.event optionally: wired from their first start, nothing has to
        // refresh them when the boot features arrive.
        for (String importer : List.of("org.apache.karaf.features.core", "org.ops4j.pax.logging.pax-logging-api")) {
            assertEquals(importer + " imports Event Admin's package from it", eventAdmin,
                    provider(bundle(importer), "org.osgi.service.event"));
        }
    }

    /** The bundle a bundle's import of a package is wired to, or null. */
    private static Bundle provider(Bundle importer, String packageName) {
        for (BundleWire wire : importer.adapt(BundleWiring.class).getRequiredWires(PackageNamespace.PACKAGE_NAMESPACE)) {
            if (packageName.equals(wire.getCapability().getAttributes().get(PackageNamespace.PACKAGE_NAMESPACE))) {
                return wire.getProvider().getBundle();
            }
        }
        return null;
    }

    /** etc/org.apache.karaf.features.cfg as Karaf read it (Pax Exam has added its features). */
    private static Properties featuresCfg() throws IOException {
        Properties cfg = new Properties();
        try (Reader in = Files.newBufferedReader(Paths.get(System.getProperty("karaf.etc"), "org.apache.karaf.features.cfg"),
                StandardCharsets.ISO_8859_1)) {
            cfg.load(in);
        }
        return cfg;
    }

    private void assertRefused(Subject subject, String command) throws Exception {
        try {
            String output = execute(subject, command);
            throw new AssertionError("the shell ran '" + command + "' for a subject the ACL refuses; it printed: " + output);
        } catch (CommandRefusedException expected) {
            // the outcome this assertion is about
        }
    }

    @SuppressWarnings("unchecked")
    private <T> ServiceReference<T>[] serviceReferences(Class<T> type) throws Exception {
        ServiceReference<?>[] references = context.getServiceReferences(type.getName(), null);
        assertNotNull("no " + type.getName() + " is visible", references);
        return (ServiceReference<T>[]) references;
    }

    /** The properties of a configuration; fails if ConfigAdmin has none (getConfiguration would create it). */
    private Dictionary<String, Object> configuration(String pid) throws Exception {
        Configuration[] found = configurationAdmin.listConfigurations("(service.pid=" + pid + ")");
        assertNotNull("ConfigAdmin has no configuration " + pid, found);
        assertEquals(1, found.length);
        return found[0].getProperties();
    }

    private static ManagedServiceDTO managedService(List<ManagedServiceDTO> services, String identity) {
        for (ManagedServiceDTO service : services) {
            if (identity.equals(service.identity)) {
                return service;
            }
        }
        throw new AssertionError("the update manager does not list " + identity + " among its managed services");
    }
}
