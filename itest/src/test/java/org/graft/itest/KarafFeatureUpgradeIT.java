package org.graft.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

import org.graft.sample.api.CounterService;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.ExamFactory;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.karaf.container.internal.KarafTestContainerFactory;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;

/**
 * A feature upgrade through {@code dsu:update --feature}: the managed bundles the newer feature brings
 * are applied as one Graft update under nonstop callers, then the features service installs the newer
 * feature in place of the older one, bringing the bundles Graft does not manage its usual way.
 */
@RunWith(PaxExam.class)
@ExamFactory(KarafTestContainerFactory.class)
@ExamReactorStrategy(PerClass.class)
public class KarafFeatureUpgradeIT extends KarafTestSupport {
    private static final String COUNTER = "org.graft.sample.counter";
    private static final int CALLERS = 2;

    /* No field, parameter or return type (lambdas included) names a sample type: see KarafTestSupport.installSamples. */

    @Test
    public void aFeatureUpgradeAppliesItsManagedBundlesAsOneUpdateAndInstallsTheFeature() throws Exception {
        Path repository = Paths.get(System.getProperty("karaf.base"), "itest-counter-features.xml");
        Files.writeString(repository, "<features name=\"itest-counter\" xmlns=\"http://karaf.apache.org/xmlns/features/v1.6.0\">\n"
                + feature("1.0.0", "sample-api", "counter-v1")
                + feature("2.0.0", "sample-api", "counter-v2", "consumer")
                + "</features>\n", StandardCharsets.UTF_8);
        execute("feature:repo-add " + repository.toUri());
        execute("feature:install itest-counter/1.0.0");
        CounterService counter = awaitService(CounterService.class, null);
        assertEquals("1", counter.version());
        Object proxyId = context.getServiceReference(CounterService.class).getProperty(Constants.SERVICE_ID);
        assertRefused("dsu:update --feature itest-counter/9.9.9", "no feature itest-counter/9.9.9");
        assertRefused("dsu:update --feature itest-counter/1.0.0", "brings no other version of a managed bundle ("
                + COUNTER + " 1.0.0 already run)");
        assertEquals("refusals change nothing", "1", counter.version());

        ToLongFunction<String> increment = counter::increment;
        Supplier<String> version = counter::version;
        Callers callers = new Callers(CALLERS, "karaf-feature", index -> increment.applyAsLong("feature-" + index)).start();
        String output;
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
            poll("the callers call", () -> callers.totalSuccesses() > 1000, deadline);
            output = execute("dsu:update --feature itest-counter/2.0.0");
            long after = callers.totalSuccesses();
            poll("calls go on after the update", () -> callers.totalSuccesses() > after + 1000, deadline);
        } finally {
            callers.close();
        }
        assertTrue(output, output.contains("SUCCEEDED"));
        assertTrue(output, output.contains("installed the feature itest-counter/2.0.0"));
        System.out.println("dsu:update --feature under load: " + callers.totalSuccesses() + " calls, " + callers.failures().size() + " failed");
        assertTrue("calls failed: " + callers.failures(), callers.failures().isEmpty());
        for (int i = 0; i < CALLERS; i++) {
            assertEquals("caller " + i + "'s increments all reached the new version", callers.successes(i),
                    counter.get("feature-" + i));
        }
        assertEquals("2", version.get());
        assertEquals("the proxy registration stayed", proxyId,
                context.getServiceReference(CounterService.class).getProperty(Constants.SERVICE_ID));
        assertTrue(featuresService.isInstalled(featuresService.getFeature("itest-counter", "2.0.0")));
        assertFalse(featuresService.isInstalled(featuresService.getFeature("itest-counter", "1.0.0")));
        Bundle updated = bundle(COUNTER);
        assertEquals("2.0.0", updated.getVersion().toString());
        assertEquals("the bundle Graft does not manage came the features service's way", Bundle.ACTIVE,
                bundle("org.graft.sample.consumer").getState());

        execute("feature:install -v scr");
        assertEquals("a later deployment keeps the updated bundle", "2.0.0 " + updated.getBundleId(),
                bundle(COUNTER).getVersion() + " " + bundle(COUNTER).getBundleId());

        // The features service's own way, which Graft cannot hold across: the withdrawal says so and what to use.
        // -r: no refresh, which would restart this test's probe (wired to the samples' API)
        execute("feature:uninstall -r itest-counter/2.0.0");
        Path log = Paths.get(System.getProperty("karaf.data"), "log", "karaf.log");
        poll("karaf.log has the withdrawal's warning", () -> logHas(log,
                "withdrawn: Karaf's features service stopped its provider " + COUNTER + " 2.0.0"),
                System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS));
        assertTrue(logHas(log, "use dsu:update --feature name/version"));
    }

    private static boolean logHas(Path log, String text) {
        try {
            return Files.readString(log, StandardCharsets.UTF_8).contains(text);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void assertRefused(String command, String reason) throws Exception {
        try {
            String output = execute(command);
            throw new AssertionError("'" + command + "' was not refused: " + output);
        } catch (CommandRefusedException e) {
            throw e;
        } catch (AssertionError e) {
            throw e;
        } catch (Exception e) {
            assertTrue(e.getMessage(), e.getMessage().contains("REFUSED") && e.getMessage().contains(reason));
        }
    }

    private static String feature(String version, String... artifacts) {
        StringBuilder feature = new StringBuilder("  <feature name=\"itest-counter\" version=\"" + version + "\">\n")
                .append("    <feature>scr</feature>\n");
        for (String artifact : artifacts) {
            feature.append("    <bundle>").append(sampleUrl(artifact)).append("</bundle>\n");
        }
        return feature.append("  </feature>\n").toString();
    }
}
