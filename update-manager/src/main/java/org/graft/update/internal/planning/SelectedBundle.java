package org.graft.update.internal.planning;

import org.osgi.framework.Bundle;

/**
 * One bundle of an update as selected: the running version and the jar of the one that replaces it,
 * read and checked, not installed.
 */
public record SelectedBundle(Bundle running, BundleSource source) {
    public String describeRunning() {
        return running.getSymbolicName() + " " + running.getVersion();
    }

    public String describeNext() {
        return source.symbolicName() + " " + source.version();
    }
}
