package org.graft.container;

import org.osgi.annotation.versioning.ProviderType;

/**
 * One state transfer of a {@link StatePlan}, prepared before calls are held: first its rehearsal on a
 * snapshot of the running state, while calls still flow, then the transfer itself, with the same codec,
 * whose caches the rehearsal filled for the very classes of both versions. Used once, by one thread at
 * a time (rehearsal and transfer may run on different threads, one after the other, with a
 * happens-before edge between them, as an executor's hand-off gives).
 *
 * @since 1.5
 */
@ProviderType
public interface StateTransfer {
    /**
     * Runs the transfer on a snapshot of {@code from}'s state, taken while calls may still run on it,
     * and writes nothing anywhere: entries whose values cannot be read safely while calls run are left
     * out (and named). A transformer's or conversion's failure is reported, not thrown.
     *
     * <p>Interruptible between entries and wherever the transformer is; an interrupt ends it with a
     * {@link StateRehearsal#problems() problem}.
     */
    StateRehearsal rehearse(Object from);

    /** As {@link StatePlan#transfer}: call only while no call runs on either instance. */
    StateTransferResult transfer(Object from, Object to) throws StateTransferException;
}
