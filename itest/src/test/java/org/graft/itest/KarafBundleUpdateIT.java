package org.graft.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.function.Supplier;
import java.util.function.ToLongFunction;

import org.graft.sample.api.CounterConsumer;
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
 * Karaf's own {@code bundle:update} on a managed bundle, while callers keep calling: the framework
 * updates the bundle in place (same id), and Graft holds the calls across its restart and carries its
 * state, so no call fails and the proxy registration stays.
 */
@RunWith(PaxExam.class)
@ExamFactory(KarafTestContainerFactory.class)
@ExamReactorStrategy(PerClass.class)
public class KarafBundleUpdateIT extends KarafTestSupport {
    private static final String COUNTER = "org.graft.sample.counter";
    private static final int CALLERS = 2;

    /* No field, parameter or return type (lambdas included) names a sample type: see KarafTestSupport.installSamples. */

    @Test
    public void bundleUpdateOfAManagedBundleFailsNoCallAndKeepsTheState() throws Exception {
        installSamples();
        CounterService counter = awaitService(CounterService.class, null);
        CounterConsumer consumer = awaitService(CounterConsumer.class, null);
        int activations = consumer.activations();
        assertEquals("1", counter.version());
        Bundle bundle = bundle(COUNTER);
        Object proxyId = context.getServiceReference(CounterService.class).getProperty(Constants.SERVICE_ID);
        ToLongFunction<String> increment = counter::increment;
        Supplier<String> version = counter::version;
        Callers callers = new Callers(CALLERS, "karaf-bundle-update", index -> increment.applyAsLong("in-place-" + index)).start();
        String output;
        try {
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
            poll("the callers call", () -> callers.totalSuccesses() > 1000, deadline);
            output = execute("bundle:update " + bundle.getBundleId() + " " + sampleUrl("counter-v2"));
            poll("the counter is version 2", () -> "2".equals(version.get()), deadline);
            long after = callers.totalSuccesses();
            poll("calls go on after the update", () -> callers.totalSuccesses() > after + 1000, deadline);
        } finally {
            callers.close();
        }
        assertEquals("the consumer was not restarted", activations, consumer.activations());
        System.out.println("bundle:update under load: " + callers.totalSuccesses() + " calls, " + callers.failures().size()
                + " failed, consumer activations " + activations + " -> " + consumer.activations());
        assertTrue("calls failed: " + callers.failures() + "; bundle:update printed: " + output, callers.failures().isEmpty());
        for (int i = 0; i < CALLERS; i++) {
            assertEquals("caller " + i + "'s increments all reached the new version", callers.successes(i),
                    counter.get("in-place-" + i));
        }
        assertEquals("updated in place: the same bundle id", bundle.getBundleId(), bundle(COUNTER).getBundleId());
        assertEquals("2.0.0", bundle(COUNTER).getVersion().toString());
        assertEquals("the proxy registration stayed", proxyId,
                context.getServiceReference(CounterService.class).getProperty(Constants.SERVICE_ID));
    }
}
