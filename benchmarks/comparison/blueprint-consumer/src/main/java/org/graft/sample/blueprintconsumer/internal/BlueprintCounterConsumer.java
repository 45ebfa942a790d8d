package org.graft.sample.blueprintconsumer.internal;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

import org.graft.sample.api.CounterConsumer;
import org.graft.sample.api.CounterService;

/**
 * A Blueprint bean consuming the unmanaged counter through a damped reference: the counter it is given
 * is Aries' proxy, which waits (up to the reference's timeout) for a replacement when the service goes
 * away, so the bean itself is not re-created.
 */
public class BlueprintCounterConsumer implements CounterConsumer {
    // Static, like the DS consumers', so that the count would survive the bean being re-created.
    private static final AtomicInteger ACTIVATIONS = new AtomicInteger();

    private CounterService counter;

    public void setCounter(CounterService counter) {
        this.counter = Objects.requireNonNull(counter, "counter");
    }

    /** The bean's init-method. */
    public void init() {
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
