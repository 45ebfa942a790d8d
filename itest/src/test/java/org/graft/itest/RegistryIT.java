package org.graft.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.graft.sample.api.CounterService;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceListener;
import org.osgi.framework.ServiceReference;

/** Consumers see one registration per managed service, registered by the container, across versions. */
@RunWith(PaxExam.class)
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

    private ServiceReference<CounterService> onlyReference() throws Exception {
        Collection<ServiceReference<CounterService>> references = context.getServiceReferences(CounterService.class, null);
        assertEquals("exactly one visible registration: " + references, 1, references.size());
        ServiceReference<CounterService> reference = references.iterator().next();
        assertTrue(Boolean.TRUE.equals(reference.getProperty("graft.managed")));
        return reference;
    }
}
