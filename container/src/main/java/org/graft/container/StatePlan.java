package org.graft.container;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/** How the state of one service is carried from one version to another. */
@ProviderType
public interface StatePlan {
    /** One entry per state entry of either version. */
    List<StateEntryPlan> entries();

    /** The transformer used, e.g. {@code "org.x.CountsToTallies (upgrade)"}, if any. */
    Optional<String> transformer();

    /** Why this state cannot be carried over, if it cannot; nothing was changed. */
    Optional<String> refusal();

    /**
     * Reads the state of {@code from} and writes it into {@code to}. Call only while no call runs on
     * either. {@code from} is only read; {@code to} is written only if everything converted.
     *
     * @throws StateTransferException naming the entry and the cause
     */
    StateTransferResult transfer(Object from, Object to) throws StateTransferException;

    /**
     * A transfer to rehearse before calls are held and then to run; {@link #transfer} is the same
     * without the rehearsal. Nothing runs yet.
     *
     * @since 1.5
     */
    StateTransfer prepare();
}
