package org.graft.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.graft.sample.api.CounterService;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.ExamFactory;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.karaf.container.internal.KarafTestContainerFactory;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;

/**
 * The features service after Graft replaced a bundle that a feature installed: each later deployment
 * (here a {@code feature:install} of a feature already there, which makes the features service compare
 * what the features need with what is installed) leaves exactly the version Graft made serve, through
 * an update and through a rollback, and {@code feature:uninstall} removes that version.
 *
 * <p>One scenario in one test: each step starts from what the one before left.
 */
@RunWith(PaxExam.class)
@ExamFactory(KarafTestContainerFactory.class)
@ExamReactorStrategy(PerClass.class)
public class KarafFeaturesStayTrueIT extends KarafTestSupport {
    private static final String COUNTER = "org.graft.sample.counter";

    @Test
    public void laterDeploymentsKeepTheVersionGraftMadeServeAndUninstallRemovesIt() throws Exception {
        installSamples();
        CounterService counter = awaitService(CounterService.class, null);
        long counted = counter.increment("features");

        String update = execute("dsu:update " + COUNTER + " " + sampleUrl("counter-v2"));
        assertTrue(update, update.contains("SUCCEEDED"));
        assertTrue(update, update.contains("Karaf's features service counts " + COUNTER + " 2.0.0"));
        Bundle updated = onlyBundle(COUNTER, "2.0.0");

        String install = execute("feature:install -v scr");
        assertEquals("the features service leaves the updated version alone: " + install,
                updated.getBundleId(), onlyBundle(COUNTER, "2.0.0").getBundleId());
        assertEquals("2", counter.version());
        assertEquals("no restart, no state lost", ++counted, counter.increment("features"));

        String rollback = execute("dsu:rollback " + COUNTER);
        assertTrue(rollback, rollback.contains("SUCCEEDED"));
        Bundle rolledBack = onlyBundle(COUNTER, "1.0.0");

        String again = execute("feature:install -v scr");
        assertEquals("the features service leaves the rolled back version alone: " + again,
                rolledBack.getBundleId(), onlyBundle(COUNTER, "1.0.0").getBundleId());
        assertEquals("1", counter.version());
        assertEquals(++counted, counter.increment("features"));

        String update2 = execute("dsu:update " + COUNTER + " " + sampleUrl("counter-v2"));
        assertTrue(update2, update2.contains("SUCCEEDED"));
        onlyBundle(COUNTER, "2.0.0");
        // -r: no refresh, which would restart this test's probe (wired to the samples' API)
        execute("feature:uninstall -r dsu-samples");
        assertEquals("feature:uninstall removes the version that served", List.of(), bundles(COUNTER));
    }

    private Bundle onlyBundle(String symbolicName, String version) {
        List<Bundle> named = bundles(symbolicName);
        assertEquals("one bundle " + symbolicName + ": " + describe(named), 1, named.size());
        assertEquals(describe(named), version, named.get(0).getVersion().toString());
        return named.get(0);
    }

    private List<Bundle> bundles(String symbolicName) {
        List<Bundle> named = new ArrayList<>();
        for (Bundle bundle : context.getBundles()) {
            if (symbolicName.equals(bundle.getSymbolicName())) {
                named.add(bundle);
            }
        }
        return named;
    }

    private static String describe(List<Bundle> bundles) {
        List<String> described = new ArrayList<>();
        for (Bundle bundle : bundles) {
            described.add(bundle.getVersion() + " (id " + bundle.getBundleId() + ", " + bundle.getLocation() + ")");
        }
        return described.toString();
    }
}
