package org.graft.demo.load.internal;

import java.util.Objects;
import java.util.function.Supplier;

import org.graft.sample.api.CounterConsumer;
import org.graft.sample.api.CounterService;

/**
 * The load's CounterService when it goes through a consumer: increments go through the consumer (as
 * its callers' would), reads go to the counter registered now, given by {@code registeredCounter}.
 * {@code consumer} gives the consumer for each call: always the one taken at the start, or the one
 * registered now (throwing when there is none, which the load counts as a failed call).
 */
final class ThroughConsumer implements CounterService {
    private final Supplier<CounterConsumer> consumer;
    private final Supplier<CounterService> registeredCounter;

    ThroughConsumer(Supplier<CounterConsumer> consumer, Supplier<CounterService> registeredCounter) {
        this.consumer = Objects.requireNonNull(consumer, "consumer");
        this.registeredCounter = Objects.requireNonNull(registeredCounter, "registeredCounter");
    }

    /** The version of the counter registered now (not necessarily the one the consumer reaches). */
    String registeredVersion() {
        return registeredCounter.get().version();
    }

    @Override
    public long increment(String key) {
        return consumer.get().increment(key);
    }

    @Override
    public long get(String key) {
        return registeredCounter.get().get(key);
    }

    @Override
    public long operations() {
        return registeredCounter.get().operations();
    }

    /** The version of the counter the consumer reaches. */
    @Override
    public String version() {
        return consumer.get().counterVersion();
    }
}
