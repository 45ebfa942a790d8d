package org.graft.update.internal.planning;

import java.util.List;

import org.graft.update.dto.UpdateOptionsDTO;

/** What an update replaces, checked and read but not installed: the input of the transaction's install step. */
public record Selection(List<SelectedBundle> bundles, UpdateOptionsDTO options, String feature) {
    public Selection {
        bundles = List.copyOf(bundles);
    }

    /** A selection of bundles alone (no feature). */
    public Selection(List<SelectedBundle> bundles, UpdateOptionsDTO options) {
        this(bundles, options, null);
    }

    public boolean coexist() {
        return UpdateOptionsDTO.COEXIST.equals(options.strategy);
    }
}
