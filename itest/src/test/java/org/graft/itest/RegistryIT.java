package org.graft.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

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
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceListener;
import org.osgi.framework.ServiceReference;

/** Consumers see one registration per managed service, registered by the container, across versions. */
@RunWith(PaxExam.class)
@ExamFactory(NativeTestContainerFactory.class)
@ExamReactorStrategy(PerMethod.class)
public class RegistryIT extends GraftTestSupport {

    @Test
    public void consumersSeeOnlyTheProxyAndNeverAnUnregistration() throws Exception {
        ServiceReference<CounterService> before = onlyReference();
        assertEquals("org.graft.container", before.getBundle().getSymbolicName());
        assertEquals("1.0.0", before.getProperty("graft.version"));
        assertEquals(COUNTER, before.getProperty("component.name"));

        List<Integer> events = new CopyOnWriteArrayList<>();
        ServiceListener listener = event -> events.add(event.getType());
        context.addServiceListener(listener, "(" + Constants.OBJECTCLASS + "=" + CounterService.class.getName() + ")");
        try {
            assertSucceeded(update(COUNTER, "counter-v2"));
        } finally {
            context.removeServiceListener(listener);
        }
        ServiceReference<CounterService> after = onlyReference();
        assertEquals("the same registration serves version 2", before.getProperty(Constants.SERVICE_ID),
                after.getProperty(Constants.SERVICE_ID));
        assertEquals("2.0.0", after.getProperty("graft.version"));
        assertEquals("consumers heard only that the properties changed", List.of(ServiceEvent.MODIFIED), events);
    }

    @Test
    public void whenTheServingProviderStopsAWaitingProviderOfTheSameServiceTakesOver() throws Exception {
        CounterService counter = service(CounterService.class);
        Object serviceId = onlyReference().getProperty(Constants.SERVICE_ID);
        Bundle first = bundlesNamed(COUNTER).get(0);
        // A second provider of the same identity, started outside any update, waits hidden.
        Bundle second = context.installBundle(sampleUrl("counter-v2"));
        second.start();
        assertEquals("1", counter.version());
        assertEquals(1, context.getServiceReferences(CounterService.class, null).size());

        first.stop();
        assertEquals("the waiting provider serves behind the same proxy", "2", counter.version());
        assertEquals(serviceId, onlyReference().getProperty(Constants.SERVICE_ID));
        assertEquals(1, service(CounterConsumer.class).activations());
    }

    @Test
    public void whenTheOnlyProviderStopsTheServiceGoesAway() throws Exception {
        CounterService counter = service(CounterService.class);
        bundlesNamed(COUNTER).get(0).stop();
        assertTrue(context.getServiceReferences(CounterService.class, null).isEmpty());
        ServiceException e = assertThrows(ServiceException.class, () -> counter.increment("a"));
        assertEquals(ServiceException.UNREGISTERED, e.getType());
        assertTrue(e.getMessage(), e.getMessage().contains("org.graft.sample.counter is no longer available"));
    }

    private ServiceReference<CounterService> onlyReference() throws Exception {
        Collection<ServiceReference<CounterService>> references = context.getServiceReferences(CounterService.class, null);
        assertEquals("exactly one visible registration: " + references, 1, references.size());
        ServiceReference<CounterService> reference = references.iterator().next();
        assertTrue(Boolean.TRUE.equals(reference.getProperty("graft.managed")));
        return reference;
    }
}
