package org.graft.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.composite;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import javax.inject.Inject;

import org.graft.update.UpdateManager;
import org.graft.update.dto.BundleUpdateDTO;
import org.graft.update.dto.StepDTO;
import org.graft.update.dto.UpdateReportDTO;
import org.graft.update.dto.UpdateRequestDTO;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/**
 * A native Felix framework with SCR, Jackson, Graft and the first version of each sample, fresh for
 * every test method. New versions are applied from the jars the reactor built.
 */
public abstract class GraftTestSupport {
    static final String COUNTER = "org.graft.sample.counter";
    static final String GREETING = "org.graft.sample.greeting";
    static final String CATALOG = "org.graft.sample.catalog";
    static final String SLOW_COUNTER = "org.graft.itest.slowcounter";
    static final String SLOW_GREETING = "org.graft.itest.slowgreeting";
    static final String STORE = "org.graft.itest.store";
    /** Every wait in a test is bounded by this, so a broken mechanism fails instead of hanging. */
    static final long WAIT_SECONDS = 60;

    @Inject
    protected BundleContext context;

    @Inject
    protected UpdateManager updateManager;

    @Configuration
    public Option[] configuration() {
        Path fixtures = FixtureBundles.build();
        return options(
                systemProperty(Fixtures.DIRECTORY).value(fixtures.toString()),
                systemProperty("org.ops4j.pax.url.mvn.defaultRepositories")
                        .value(System.getProperty("org.ops4j.pax.url.mvn.defaultRepositories")),
                frameworkProperty("graft.hold.max.ms").value("30000"),
                mavenBundle("org.osgi", "org.osgi.util.function").versionAsInProject().startLevel(2),
                mavenBundle("org.osgi", "org.osgi.util.promise").versionAsInProject().startLevel(2),
                mavenBundle("org.osgi", "org.osgi.service.component").versionAsInProject().startLevel(2),
                mavenBundle("com.fasterxml.jackson.core", "jackson-annotations").versionAsInProject().startLevel(2),
                mavenBundle("com.fasterxml.jackson.core", "jackson-core").versionAsInProject().startLevel(2),
                mavenBundle("com.fasterxml.jackson.core", "jackson-databind").versionAsInProject().startLevel(2),
                mavenBundle("org.graft", "transformer-api").versionAsInProject().startLevel(2),
                // The container's hooks must be in place before any managed bundle starts.
                mavenBundle("org.graft", "container").versionAsInProject().startLevel(2),
                mavenBundle("org.graft", "update-manager").versionAsInProject().startLevel(2),
                mavenBundle("org.apache.felix", "org.apache.felix.scr").versionAsInProject().startLevel(3),
                mavenBundle("org.graft.samples", "sample-api").versionAsInProject().startLevel(3),
                mavenBundle("org.graft.samples", "counter-v1").versionAsInProject().startLevel(4),
                mavenBundle("org.graft.samples", "greeting-v1").versionAsInProject().startLevel(4),
                mavenBundle("org.graft.samples", "catalog-v1").versionAsInProject().startLevel(4),
                mavenBundle("org.graft.samples", "consumer").versionAsInProject().startLevel(4),
                composite(testClassOptions()),
                junitBundles());
    }

    /** What a test class starts with besides the samples (fixture bundles, framework properties); nothing unless it says. */
    protected Option[] testClassOptions() {
        return new Option[0];
    }

    /** The fixture bundles' API and the first version of each fixture service. */
    static Option[] slowServices() {
        return new Option[] {
            bundle(Fixtures.url("fixtures-api")).startLevel(3),
            bundle(Fixtures.url("slow-counter-v1")).startLevel(4),
            bundle(Fixtures.url("slow-greeting-v1")).startLevel(4),
            bundle(Fixtures.url("store-v1")).startLevel(4),
        };
    }


    /** The file URL of a sample bundle built by the reactor, e.g. {@code sampleUrl("counter-v2")}. */
    static String sampleUrl(String artifactId) {
        String version = System.getProperty("graft.project.version");
        File jar = new File(System.getProperty("graft.reactor.repo"),
                "org/graft/samples/" + artifactId + "/" + version + "/" + artifactId + "-" + version + ".jar");
        if (!jar.isFile()) {
            fail("the reactor did not build " + jar);
        }
        return jar.toURI().toString();
    }

    static UpdateRequestDTO request(String bundle, String artifactId) {
        UpdateRequestDTO request = new UpdateRequestDTO();
        request.bundles.add(BundleUpdateDTO.of(bundle, sampleUrl(artifactId)));
        return request;
    }

    /** An update of {@code bundle} to a fixture bundle ({@link FixtureBundles}), e.g. "counter-v2-one-way". */
    static UpdateRequestDTO fixtureRequest(String bundle, String fixture) {
        UpdateRequestDTO request = new UpdateRequestDTO();
        request.bundles.add(BundleUpdateDTO.of(bundle, Fixtures.url(fixture)));
        return request;
    }

    UpdateReportDTO update(String bundle, String artifactId) {
        return updateManager.update(request(bundle, artifactId));
    }

    static void assertSucceeded(UpdateReportDTO report) {
        assertEquals(report.message, UpdateReportDTO.SUCCEEDED, report.outcome);
    }

    /** The installed bundles of a symbolic name. */
    List<Bundle> bundlesNamed(String symbolicName) {
        List<Bundle> bundles = new ArrayList<>();
        for (Bundle bundle : context.getBundles()) {
            if (symbolicName.equals(bundle.getSymbolicName())) {
                bundles.add(bundle);
            }
        }
        return bundles;
    }

    <T> T service(Class<T> type) {
        T service = context.getService(context.getServiceReference(type));
        assertNotNull("no " + type.getName() + " service", service);
        return service;
    }

    /** Polls a condition until it holds; fails after {@link #WAIT_SECONDS}. */
    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting until " + what);
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    /** Waits until the running update has reached a step (it is RUNNING or done). */
    void awaitStep(String step) throws InterruptedException {
        await("the update reaches step " + step, () -> {
            UpdateReportDTO status = updateManager.status();
            if (status == null || !UpdateReportDTO.IN_PROGRESS.equals(status.outcome)) {
                return false;
            }
            for (StepDTO s : status.steps) {
                if (step.equals(s.name)) {
                    return true;
                }
            }
            return false;
        });
    }

    static String describe(UpdateReportDTO report) {
        StringBuilder text = new StringBuilder("update ").append(report.id).append(' ').append(report.outcome)
                .append(": held ").append(report.timings.heldMicros).append(" µs, drain ").append(report.timings.drainMicros)
                .append(" µs, transfer ").append(report.timings.transferMicros).append(" µs (capture ")
                .append(report.timings.captureMicros).append(", convert ").append(report.timings.convertMicros).append(", inject ")
                .append(report.timings.injectMicros).append("), total ")
                .append(report.timings.totalMicros).append(" µs");
        return text.toString();
    }
}
