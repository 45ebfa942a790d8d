package org.graft.sample.api;

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
}
