package org.graft.sample.consumer.internal;

import java.util.concurrent.atomic.AtomicInteger;

import org.graft.sample.api.CounterConsumer;
import org.graft.sample.api.CounterService;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * An ordinary, unmanaged consumer. Its reference is static, mandatory and reluctant (DS's defaults),
 * so DS re-creates this component whenever the counter service it bound goes away: a transparent
 * update of the counter must therefore leave {@link #activations()} unchanged.
 */
@Component(name = "org.graft.sample.consumer", immediate = true, service = CounterConsumer.class)
public class CounterConsumerImpl implements CounterConsumer {
    // Static, so that the count survives DS re-creating the component instance.
    private static final AtomicInteger ACTIVATIONS = new AtomicInteger();

    @Reference
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
