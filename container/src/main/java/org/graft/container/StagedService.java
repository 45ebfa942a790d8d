package org.graft.container;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;
import org.osgi.framework.Bundle;

/** A managed service of a version being installed: registered, hidden, not serving yet. */
@ProviderType
public interface StagedService {
    String identity();

    List<String> interfaces();

    Bundle provider();

    /**
     * The implementation instance, activated on first use (DS activates delayed components when their
     * service is first got).
     *
     * @throws IllegalStateException if the framework returned no instance (its activation failed)
     */
    Object implementation();
}
