package org.graft.demo.load.internal;

import java.util.Locale;

/**
 * Which object the load calls. {@link #COUNTER}: the CounterService consumers see (the main demo).
 * The others: a consumer's CounterConsumer service, taken once at the start like the counter is, so
 * that the load reaches the counter the way that consumer does; the keys are then read from the
 * counter registered now (by the filter), which is what a consumer restarted later would see.
 * Used by karaf-features/demo/side-by-side.sh.
 */
public enum Via {
    COUNTER(null, null),
    /** org.graft.sample.consumer (static DS reference) on Graft's counter proxy. */
    GRAFT("(&(objectClass=org.graft.sample.api.CounterConsumer)(component.name=org.graft.sample.consumer))",
            "(&(objectClass=org.graft.sample.api.CounterService)(graft.managed=true))"),
    /** org.graft.sample.plainconsumer (static DS reference) on the unmanaged counter. */
    PLAIN("(&(objectClass=org.graft.sample.api.CounterConsumer)(component.name=org.graft.sample.plainconsumer))",
            "(&(objectClass=org.graft.sample.api.CounterService)(component.name=org.graft.sample.plaincounter))"),
    /** org.graft.sample.blueprintconsumer (Aries damped reference) on the unmanaged counter. */
    BLUEPRINT("(&(objectClass=org.graft.sample.api.CounterConsumer)(graft.sample.via=blueprint))",
            "(&(objectClass=org.graft.sample.api.CounterService)(component.name=org.graft.sample.plaincounter))");

    /** The consumer's service; null for {@link #COUNTER}. */
    public final String consumerFilter;
    /** The counter the consumer is meant to reach; null for {@link #COUNTER}. */
    public final String counterFilter;

    Via(String consumerFilter, String counterFilter) {
        this.consumerFilter = consumerFilter;
        this.counterFilter = counterFilter;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** "graft" -> GRAFT; throws IllegalArgumentException naming the choices otherwise. */
    public static Via parse(String text) {
        for (Via via : values()) {
            if (via.label().equals(text)) {
                return via;
            }
        }
        throw new IllegalArgumentException("--via must be counter, graft, plain or blueprint, not " + text);
    }
}
