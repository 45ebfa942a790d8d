package org.graft.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;
import java.util.stream.Stream;

import org.graft.sample.api.CounterConsumer;
import org.graft.sample.api.CounterService;
import org.graft.update.UpdateManager;
import org.graft.update.dto.BundleUpdateDTO;
import org.graft.update.dto.UpdateOptionsDTO;
import org.graft.update.dto.UpdateReportDTO;
import org.graft.update.dto.UpdateRequestDTO;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.ExamFactory;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.karaf.container.internal.KarafTestContainerFactory;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.wiring.BundleWiring;

/**
 * The soak's bounded form: live updates of the sample counter in cycles of four (to 2 by its
 * transformer, to 3 by the default conversion, a rollback to 2, to 1 by version 2's way down) under
 * nonstop callers in Karaf. No call fails, every caller's count equals the state, the consumer is not
 * restarted, the bundles, journal and archive end as bounded as they began, and the class loader of
 * every retired version is collected. The long form, with the JVM's figures, is
 * {@code karaf-features/demo/graft-soak.sh}.
 */
@RunWith(PaxExam.class)
@ExamFactory(KarafTestContainerFactory.class)
@ExamReactorStrategy(PerClass.class)
public class KarafSoakIT extends KarafTestSupport {
    private static final String COUNTER = "org.graft.sample.counter";
    private static final int CYCLES = 10;
    private static final int CALLERS = 2;
    private static final int MAX_ARCHIVED_JARS = 3;
    /** The history's default bound, which the journal's files follow. */
    private static final int MAX_REPORTS = 100;

    /* No field, parameter or return type (lambdas included) names a sample or Graft type: see KarafTestSupport.installSamples. */

    @Test
    public void updatesInCyclesUnderLoadKeepEveryCallAndLeaveNothingBehind() throws Exception {
        installSamples();
        CounterService counter = awaitService(CounterService.class, null);
        CounterConsumer consumer = awaitService(CounterConsumer.class, null);
        UpdateManager manager = awaitService(UpdateManager.class, null);
        int activations = consumer.activations();
        Object proxyId = context.getServiceReference(CounterService.class).getProperty(Constants.SERVICE_ID);
        int bundlesBefore = context.getBundles().length;
        Path data = dataArea("org.graft.update.manager");
        ReferenceQueue<ClassLoader> collected = new ReferenceQueue<>();
        Set<Reference<ClassLoader>> retired = new HashSet<>();
        List<String> steps = List.of("counter-v2", "counter-v3", "rollback", "counter-v1");

        ToLongFunction<String> increment = counter::increment;
        Callers callers = new Callers(CALLERS, "karaf-soak", index -> increment.applyAsLong("soak-" + index)).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
            poll("the callers call", () -> callers.totalSuccesses() > 1000, deadline);
            for (int cycle = 1; cycle <= CYCLES; cycle++) {
                for (String step : steps) {
                    retired.add(new WeakReference<>(bundle(COUNTER).adapt(BundleWiring.class).getClassLoader(), collected));
                    UpdateOptionsDTO options = new UpdateOptionsDTO();
                    UpdateReportDTO report;
                    if (step.equals("rollback")) {
                        report = manager.rollback(COUNTER, options);
                    } else {
                        UpdateRequestDTO request = new UpdateRequestDTO();
                        request.bundles.add(BundleUpdateDTO.of(COUNTER, sampleUrl(step)));
                        request.options = options;
                        report = manager.update(request);
                    }
                    assertEquals("cycle " + cycle + ", " + step + ": " + report.message, UpdateReportDTO.SUCCEEDED, report.outcome);
                }
            }
            long after = callers.totalSuccesses();
            poll("calls go on after the last update", () -> callers.totalSuccesses() > after + 1000, deadline);
        } finally {
            callers.close();
        }
        System.out.println("Soak in Karaf: " + CYCLES * steps.size() + " updates, " + callers.totalSuccesses() + " calls, "
                + callers.failures().size() + " failed");
        assertTrue("calls failed: " + callers.failures(), callers.failures().isEmpty());
        for (int i = 0; i < CALLERS; i++) {
            assertEquals("caller " + i + "'s increments all reached the state", callers.successes(i), counter.get("soak-" + i));
        }
        assertEquals("1", counter.version());
        assertEquals("the consumer was not restarted", activations, consumer.activations());
        assertEquals("the proxy registration stayed", proxyId,
                context.getServiceReference(CounterService.class).getProperty(Constants.SERVICE_ID));
        assertEquals("as many bundles as before", bundlesBefore, context.getBundles().length);
        assertEquals("one version of the counter", 1, bundlesNamed(COUNTER));
        assertTrue("the journal is bounded by the history", files(data.resolve("journal")) <= MAX_REPORTS);
        assertTrue("the archive keeps at most " + MAX_ARCHIVED_JARS + " jars", files(data.resolve("archive")) <= MAX_ARCHIVED_JARS);
        awaitCollected(retired, collected);
    }

    /**
     * Every retired version's class loader is collected: a full GC is asked for until each one is
     * enqueued or the wait is over, and the loaders still reachable then are the failure.
     */
    private static void awaitCollected(Set<Reference<ClassLoader>> retired, ReferenceQueue<ClassLoader> collected)
            throws InterruptedException {
        Set<Reference<ClassLoader>> alive = new HashSet<>(retired);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (!alive.isEmpty() && System.nanoTime() < deadline) {
            System.gc();
            Reference<? extends ClassLoader> gone;
            while ((gone = collected.remove(200)) != null) {
                alive.remove(gone);
            }
        }
        assertEquals("class loaders of retired versions still reachable, of " + retired.size(), 0, alive.size());
    }

    private int bundlesNamed(String symbolicName) {
        int count = 0;
        for (Bundle bundle : context.getBundles()) {
            count += symbolicName.equals(bundle.getSymbolicName()) ? 1 : 0;
        }
        return count;
    }

    /** Felix keeps a bundle's data area at {@code <framework storage>/bundle<id>/data}. */
    private Path dataArea(String symbolicName) {
        Path data = Paths.get(context.getProperty("org.osgi.framework.storage"), "bundle" + bundle(symbolicName).getBundleId(), "data");
        assertTrue(symbolicName + "'s data area is at " + data, Files.isDirectory(data));
        return data;
    }

    private static long files(Path directory) throws Exception {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(Files::isRegularFile).count();
        }
    }
}
