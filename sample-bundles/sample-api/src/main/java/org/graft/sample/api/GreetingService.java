package org.graft.sample.api;

import org.osgi.annotation.versioning.ProviderType;

/** A stateless service; its versions greet differently. */
@ProviderType
public interface GreetingService {
    /** A greeting for {@code name}. */
    String greet(String name);

    /** The implementation's major version, e.g. {@code "1"}. */
    String version();
}
