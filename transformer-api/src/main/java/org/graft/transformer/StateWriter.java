package org.graft.transformer;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Write access to the state of the version being installed, given to transformers.
 *
 * <pre>{@code
 * to.set("tallies", tallies);
 * }</pre>
 */
@ProviderType
public interface StateWriter {
    /**
     * Sets a state entry of the new version.
     *
     * @throws IllegalArgumentException if the new version has no such entry, or the value does not fit its type
     */
    void set(String name, Object value);
}
