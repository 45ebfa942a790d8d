package org.graft.transformer;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A transformer that also declares the way down, so that the update it serves can be rolled back
 * with its state (Erlang's downgrade instructions).
 *
 * <pre>{@code
 * public void downgrade(StateReader from, StateWriter to) {
 *     Map<String, Tally> tallies = from.get("tallies", new StateType<Map<String, Tally>>() {});
 *     Map<String, Long> counts = new ConcurrentHashMap<>();
 *     tallies.forEach((k, t) -> counts.put(k, t.count()));
 *     to.set("counts", counts);
 * }
 * }</pre>
 */
@ConsumerType
public interface ReversibleStateTransformer extends StateTransformer {
    /**
     * Computes the older version's state from this version's, for a rollback.
     *
     * @param from this version's state
     * @param to the older version's state; only the names of that version's entries can be set
     * @throws Exception to refuse the rollback; this version then keeps serving, its state untouched
     */
    void downgrade(StateReader from, StateWriter to) throws Exception;
}
