package org.graft.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.InputStream;
import java.net.URL;
import java.util.List;
import java.util.logging.Level;

import org.graft.sample.api.CounterConsumer;
import org.graft.sample.api.CounterService;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.ExamFactory;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.nat.internal.NativeTestContainerFactory;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceException;
import org.osgi.framework.ServiceReference;

/**
 * A managed bundle updated in place, with {@code Bundle.update} (what Karaf's {@code bundle:update} and
 * FileInstall do), not through the update manager: the container holds the calls across the bundle's
 * restart and carries the state to the new revision, or, if the new revision does not serve, withdraws
 * the service and says why.
 */
@RunWith(PaxExam.class)
@ExamFactory(NativeTestContainerFactory.class)
@ExamReactorStrategy(PerMethod.class)
public class InPlaceUpdateIT extends GraftTestSupport {

    @Test
    public void bundleUpdateKeepsTheServiceAndItsStateUnderNonstopCallers() throws Exception {
        CounterConsumer consumer = service(CounterConsumer.class);
        CounterService counter = service(CounterService.class);
        Object proxyId = context.getServiceReference(CounterService.class).getProperty(Constants.SERVICE_ID);
        Bundle bundle = bundlesNamed(COUNTER).get(0);
        assertEquals("1", counter.version());

        Callers callers = new Callers(2, "caller", index -> consumer.increment("key-" + index)).start();
        try {
            await("the callers call", () -> callers.totalSuccesses() > 1000);
            try (InputStream v2 = new URL(sampleUrl("counter-v2")).openStream()) {
                bundle.update(v2);
            }
            long afterUpdate = callers.totalSuccesses();
            await("calls are made on version 2", () -> callers.totalSuccesses() > afterUpdate + 1000);
        } finally {
            callers.close();
        }
        List<Throwable> failures = callers.failures();
        assertTrue("failed calls: " + failures, failures.isEmpty());
        for (int i = 0; i < 2; i++) {
            assertEquals("every increment of key-" + i + " is in the new version's state", callers.successes(i),
                    counter.get("key-" + i));
        }
        assertEquals("2", counter.version());
        assertEquals("the same bundle, updated in place", List.of(bundle), bundlesNamed(COUNTER));
        assertEquals("the same proxy registration served throughout", proxyId,
                context.getServiceReference(CounterService.class).getProperty(Constants.SERVICE_ID));
        assertEquals("the consumer was never restarted", 1, consumer.activations());
    }

    @Test
    public void aBundleUpdateWhoseNewRevisionCannotServeWithdrawsTheServiceSayingWhy() throws Exception {
        CounterService counter = service(CounterService.class);
        counter.increment("lost");
        Bundle bundle = bundlesNamed(COUNTER).get(0);
        try (CapturedLog log = CapturedLog.of("org.graft.container");
                InputStream failing = new URL(Fixtures.url("counter-v2-failing-activation")).openStream()) {
            bundle.update(failing);
            await("the withdrawal is logged", () -> !log.matching(Level.SEVERE, "withdrawn: its bundle was updated from 1.0.0").isEmpty());
            String message = log.matching(Level.SEVERE, "withdrawn: its bundle was updated from 1.0.0").get(0).getMessage();
            assertTrue(message, message.contains("did not activate"));
        }
        ServiceReference<CounterService> left = context.getServiceReference(CounterService.class);
        assertNull("no counter is offered: " + (left == null ? "" : left.getProperty("graft.managed")), left);
        try {
            counter.increment("lost");
            fail("a call on the withdrawn proxy succeeded");
        } catch (ServiceException expected) {
            assertFalse(expected.getMessage(), expected.getMessage().isBlank());
        }
    }
}
