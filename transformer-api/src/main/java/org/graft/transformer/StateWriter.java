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

    /**
     * Declares that a state entry of the new version starts anew, with the value the new instance was
     * created with. An entry that a transformer neither {@linkplain #set sets} nor declares fresh is
     * carried from the old version by the default mapping (same name; handed over, copied or converted
     * as without a transformer), and if the default mapping cannot carry it (the old version has no such
     * entry, or its value does not convert), the update is refused before any call is switched: state
     * is never lost by omission.
     *
     * @throws IllegalArgumentException if the new version has no such entry
     * @since 1.1
     */
    void fresh(String name);
}
