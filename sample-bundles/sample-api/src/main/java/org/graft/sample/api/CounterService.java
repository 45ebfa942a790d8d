package org.graft.sample.api;

import java.util.concurrent.CountDownLatch;

import org.osgi.annotation.versioning.ProviderType;

/** A stateful service: named counters. Its versions change the shape of the state. */
@ProviderType
public interface CounterService {
    /** Adds one to the counter {@code key} and returns its new value. */
    long increment(String key);

    /** The value of counter {@code key}, 0 if it was never incremented. */
    long get(String key);

    /** How many increments this service has applied, over every version. */
    long operations();

    /** The implementation's major version, e.g. {@code "1"}. */
    String version();

    /**
     * A slow call: counts {@code entered} down, waits for {@code release}, then increments.
     * Tests use it to hold a call in flight across an update.
     */
    long incrementWhenReleased(String key, CountDownLatch entered, CountDownLatch release) throws InterruptedException;

    /**
     * A nested, re-entrant call: counts {@code entered} down, waits for {@code release}, then
     * increments {@code key} through {@code self} (normally the service's own proxy) and then directly.
     * Returns the value after both increments.
     */
    long incrementTwiceThrough(CounterService self, String key, CountDownLatch entered, CountDownLatch release)
            throws InterruptedException;
}
