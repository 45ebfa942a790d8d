package org.graft.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.function.Supplier;

import org.graft.sample.api.CounterService;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.ExamFactory;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.OptionUtils;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.karaf.container.internal.KarafTestContainerFactory;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;

/**
 * Graft installed into the stock Apache Karaf distribution from Maven Central, the way an operator
 * installs it: its features repository from a Maven repository ({@code feature:repo-add
 * mvn:org.graft/graft-features/VERSION/xml/features}, then {@code feature:install dsu}), or its KAR
 * ({@code kar:install}). The reactor's repository stands for the operator's local Maven repository after
 * {@code mvn install}. One Karaf per test: each installs Graft its own way.
 */
@RunWith(PaxExam.class)
@ExamFactory(KarafTestContainerFactory.class)
@ExamReactorStrategy(PerMethod.class)
public class KarafStockDistributionIT extends KarafTestSupport {
    private static final String COUNTER = "org.graft.sample.counter";

    /* No field, parameter or return type (lambdas included) names a sample type: see KarafTestSupport.installSamples. */

    @Override
    protected String distributionUrl(String karafVersion) {
        return "mvn:org.apache.karaf/apache-karaf/" + karafVersion + "/tar.gz";
    }

    @Override
    @Configuration
    public Option[] configuration() throws IOException {
        // Karaf's own Maven repositories, and the reactor's where `mvn install` would have put Graft
        return OptionUtils.combine(super.configuration(),
                editConfigurationFilePut("etc/org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.defaultRepositories",
                        "${karaf.home.uri}${karaf.default.repository}@id=system.repository@snapshots,"
                                + " ${karaf.data.uri}kar@id=kar.repository@multi@snapshots,"
                                + " ${karaf.base.uri}${karaf.default.repository}@id=child.system.repository@snapshots,"
                                + " file:" + requiredProperty(REACTOR_REPO) + "@id=graft-reactor@snapshots"));
    }

    @Test
    public void theFeaturesRepositoryFromMavenInstallsAndUpdates() throws Exception {
        String version = System.getProperty(PROJECT_VERSION);
        assertTrue("a stock Karaf has no dsu feature", featuresService.getFeatures("dsu").length == 0);
        execute("feature:repo-add mvn:org.graft/graft-features/" + version + "/xml/features");
        execute("feature:install dsu");
        execute("feature:install dsu-samples");
        updatesTheCounter();
    }

    @Test
    public void theKarInstallsAndUpdates() throws Exception {
        String version = System.getProperty(PROJECT_VERSION);
        Path kar = Paths.get(System.getProperty(REACTOR_REPO), "org", "graft", "graft-features", version,
                "graft-features-" + version + "-kar.kar");
        assertTrue("the reactor built the KAR: " + kar, Files.isRegularFile(kar));
        execute("kar:install " + kar.toUri());
        if (!featuresService.isInstalled(featuresService.getFeature("dsu"))) {
            execute("feature:install dsu");
        }
        execute("feature:install dsu-samples");
        updatesTheCounter();
    }

    /** The sample counter, updated live to version 2 with its state. */
    private void updatesTheCounter() throws Exception {
        CounterService counter = awaitService(CounterService.class, null);
        Supplier<String> version = counter::version;
        long before = counter.increment("stock");
        String output = execute("dsu:update " + COUNTER + " " + sampleUrl("counter-v2"));
        assertTrue(output, output.contains("SUCCEEDED: updated " + COUNTER + " 1.0.0 -> 2.0.0"));
        assertEquals("2", version.get());
        assertEquals("the state came over", before + 1, counter.increment("stock"));
        String list = execute("dsu:list --no-format");
        assertTrue(list, list.contains(COUNTER));
    }
}
