package org.graft.sample.api;

import java.util.concurrent.CountDownLatch;

import org.osgi.annotation.versioning.ProviderType;

/** A stateless service; its versions greet differently. */
@ProviderType
public interface GreetingService {
    /** A greeting for {@code name}. */
    String greet(String name);

    /** The implementation's major version, e.g. {@code "1"}. */
    String version();

    /** A slow call: counts {@code entered} down, waits for {@code release}, then greets. */
    String greetWhenReleased(String name, CountDownLatch entered, CountDownLatch release) throws InterruptedException;
}
