package org.graft.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import org.graft.sample.api.CounterService;
import org.graft.update.dto.UpdateReportDTO;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.ExamFactory;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.nat.internal.NativeTestContainerFactory;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;

/**
 * A managed bundle that started before the container: its consumers already use its service directly,
 * so Graft leaves it alone (and logs why) rather than manage half of it; restarting the bundle puts it
 * under Graft.
 */
@RunWith(PaxExam.class)
@ExamFactory(NativeTestContainerFactory.class)
@ExamReactorStrategy(PerMethod.class)
public class EarlyStarterIT extends GraftTestSupport {

    @Override
    @Configuration
    public Option[] configuration() {
        return options(
                systemProperty("org.ops4j.pax.url.mvn.defaultRepositories")
                        .value(System.getProperty("org.ops4j.pax.url.mvn.defaultRepositories")),
                mavenBundle("org.osgi", "org.osgi.util.function").versionAsInProject().startLevel(1),
                mavenBundle("org.osgi", "org.osgi.util.promise").versionAsInProject().startLevel(1),
                mavenBundle("org.osgi", "org.osgi.service.component").versionAsInProject().startLevel(1),
                mavenBundle("org.apache.felix", "org.apache.felix.scr").versionAsInProject().startLevel(1),
                mavenBundle("org.graft", "transformer-api").versionAsInProject().startLevel(1),
                mavenBundle("org.graft.samples", "sample-api").versionAsInProject().startLevel(1),
                // The mistake under test: the managed counter starts at a lower level than the container.
                mavenBundle("org.graft.samples", "counter-v1").versionAsInProject().startLevel(2),
                mavenBundle("com.fasterxml.jackson.core", "jackson-annotations").versionAsInProject().startLevel(3),
                mavenBundle("com.fasterxml.jackson.core", "jackson-core").versionAsInProject().startLevel(3),
                mavenBundle("com.fasterxml.jackson.core", "jackson-databind").versionAsInProject().startLevel(3),
                mavenBundle("org.graft", "container").versionAsInProject().startLevel(3),
                mavenBundle("org.graft", "update-manager").versionAsInProject().startLevel(3),
                junitBundles());
    }

    @Test
    public void aManagedBundleStartedBeforeTheContainerIsLeftAloneUntilRestarted() throws Exception {
        ServiceReference<CounterService> direct = context.getServiceReference(CounterService.class);
        assertEquals("served directly by its bundle", COUNTER, direct.getBundle().getSymbolicName());
        assertNull(direct.getProperty("graft.managed"));
        assertTrue(updateManager.managedServices().isEmpty());
        UpdateReportDTO report = update(COUNTER, "counter-v2");
        assertEquals(report.message, UpdateReportDTO.REFUSED, report.outcome);
        assertTrue(report.message, report.message.contains("has no managed service serving"));
        assertEquals("1", context.getService(direct).version());

        // What the container's log tells the operator to do.
        Bundle counter = bundlesNamed(COUNTER).get(0);
        counter.stop();
        counter.start();
        ServiceReference<CounterService> managed = context.getServiceReference(CounterService.class);
        assertEquals("org.graft.container", managed.getBundle().getSymbolicName());
        assertEquals(Boolean.TRUE, managed.getProperty("graft.managed"));
        assertEquals(1, updateManager.managedServices().size());
        assertSucceeded(update(COUNTER, "counter-v2"));
        assertEquals("2", service(CounterService.class).version());
    }
}
