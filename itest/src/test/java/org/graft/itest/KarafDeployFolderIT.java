package org.graft.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

import org.graft.sample.api.CounterConsumer;
import org.graft.sample.api.CounterService;
import org.graft.update.UpdateManager;
import org.graft.update.dto.UpdateReportDTO;
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
 * A newer version of a managed bundle dropped into Karaf's {@code deploy/} folder, while callers keep
 * calling: FileInstall installs and starts it beside the version that serves, and Graft applies it as an
 * update of that version (the very bundle FileInstall installed serves), so no call fails and the state
 * is carried.
 */
@RunWith(PaxExam.class)
@ExamFactory(KarafTestContainerFactory.class)
@ExamReactorStrategy(PerClass.class)
public class KarafDeployFolderIT extends KarafTestSupport {
    private static final String COUNTER = "org.graft.sample.counter";
    private static final int CALLERS = 2;

    /* No field, parameter or return type (lambdas included) names a sample type: see KarafTestSupport.installSamples. */

    @Test
    public void aNewerVersionDroppedIntoDeployIsAppliedAsAnUpdate() throws Exception {
        installSamples();
        UpdateManager updateManager = awaitService(UpdateManager.class, null);
        CounterService counter = awaitService(CounterService.class, null);
        CounterConsumer consumer = awaitService(CounterConsumer.class, null);
        int activations = consumer.activations();
        assertEquals("1", counter.version());
        Object proxyId = context.getServiceReference(CounterService.class).getProperty(Constants.SERVICE_ID);
        int historyBefore = updateManager.history().size();
        Path deploy = Paths.get(System.getProperty("karaf.base"), "deploy");
        Path dropped = deploy.resolve("counter-2.0.0.jar");
        ToLongFunction<String> increment = counter::increment;
        Supplier<String> version = counter::version;
        Supplier<List<UpdateReportDTO>> reports = updateManager::history;
        Callers callers = new Callers(CALLERS, "karaf-deploy", index -> increment.applyAsLong("deployed-" + index)).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
            poll("the callers call", () -> callers.totalSuccesses() > 1000, deadline);
            // copied under a name FileInstall ignores, then renamed: the whole jar appears at once
            Path part = deploy.resolve("counter-2.0.0.part");
            Files.copy(sampleJar("counter-v2"), part, StandardCopyOption.REPLACE_EXISTING);
            Files.move(part, dropped, StandardCopyOption.ATOMIC_MOVE);
            poll("the counter is version 2", () -> "2".equals(version.get()), deadline);
            // the update's report reaches the history once its last step (retiring version 1) is done
            poll("the update is done", () -> reports.get().size() > historyBefore, deadline);
            long after = callers.totalSuccesses();
            poll("calls go on after the update", () -> callers.totalSuccesses() > after + 1000, deadline);
        } finally {
            callers.close();
        }
        assertEquals("the consumer was not restarted", activations, consumer.activations());
        System.out.println("deploy/ drop under load: " + callers.totalSuccesses() + " calls, " + callers.failures().size()
                + " failed, consumer activations " + activations + " -> " + consumer.activations());
        assertTrue("calls failed: " + callers.failures(), callers.failures().isEmpty());
        for (int i = 0; i < CALLERS; i++) {
            assertEquals("caller " + i + "'s increments all reached the new version", callers.successes(i),
                    counter.get("deployed-" + i));
        }
        List<Bundle> counters = new ArrayList<>();
        for (Bundle bundle : context.getBundles()) {
            if (COUNTER.equals(bundle.getSymbolicName())) {
                counters.add(bundle);
            }
        }
        assertEquals("only the dropped version is left: " + counters, 1, counters.size());
        assertEquals("the bundle FileInstall installed serves", dropped.toUri().toString().replace("file:///", "file:/"),
                counters.get(0).getLocation().replace("file:///", "file:/"));
        assertEquals("the proxy registration stayed", proxyId,
                context.getServiceReference(CounterService.class).getProperty(Constants.SERVICE_ID));
        List<UpdateReportDTO> history = updateManager.history();
        assertEquals("the drop is one update in the history", historyBefore + 1, history.size());
        UpdateReportDTO report = history.get(history.size() - 1);
        assertEquals(report.message, UpdateReportDTO.SUCCEEDED, report.outcome);
    }
}
