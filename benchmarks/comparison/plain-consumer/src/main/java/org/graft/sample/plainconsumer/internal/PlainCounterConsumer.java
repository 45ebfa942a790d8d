package org.graft.sample.plainconsumer.internal;

import java.util.concurrent.atomic.AtomicInteger;

import org.graft.sample.api.CounterConsumer;
import org.graft.sample.api.CounterService;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The same kind of consumer as org.graft.sample.consumer (static, mandatory, reluctant reference: DS's
 * defaults), bound to the unmanaged counter: DS re-creates it whenever that counter goes away.
 */
@Component(name = "org.graft.sample.plainconsumer", immediate = true, service = CounterConsumer.class)
public class PlainCounterConsumer implements CounterConsumer {
    // Static, so that the count survives DS re-creating the component instance.
    private static final AtomicInteger ACTIVATIONS = new AtomicInteger();

    @Reference(target = "(component.name=org.graft.sample.plaincounter)")
    private CounterService counter;

    @Activate
    void activate() {
        ACTIVATIONS.incrementAndGet();
    }

    @Override
    public long increment(String key) {
        return counter.increment(key);
    }

    @Override
    public int activations() {
        return ACTIVATIONS.get();
    }

    @Override
    public String counterVersion() {
        return counter.version();
    }
}
