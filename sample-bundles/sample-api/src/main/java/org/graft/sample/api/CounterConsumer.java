package org.graft.sample.api;

import org.osgi.annotation.versioning.ProviderType;

/** An unmanaged consumer of {@link CounterService}, bound by a static mandatory DS reference. */
@ProviderType
public interface CounterConsumer {
    /** Increments {@code key} through the consumer's reference. */
    long increment(String key);

    /** How many times the consumer component has been activated since its bundle started. */
    int activations();

    /** The version of the counter the consumer currently reaches. */
    String counterVersion();
}
