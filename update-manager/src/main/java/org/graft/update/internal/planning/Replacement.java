package org.graft.update.internal.planning;

import org.osgi.framework.Bundle;

/** A selected bundle whose next version is installed beside it (staged, not started). */
public record Replacement(SelectedBundle selected, Bundle installed) {
    public Bundle running() {
        return selected.running();
    }

    public String describeRunning() {
        return selected.describeRunning();
    }

    public String describeNext() {
        return selected.describeNext();
    }
}
