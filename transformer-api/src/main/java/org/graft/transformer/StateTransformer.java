package org.graft.transformer;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Converts the state of an older version into the state of the version that declares it.
 *
 * <p>A transformer lives in the new bundle, which knows both shapes, and is declared on the
 * implementation class with {@link UpgradeFrom}. It runs while calls to the service are held, once no
 * call runs on the old instance; it must be quick and must not call the service it transforms. It
 * needs a public no-argument constructor. Entries of the new version it does not set are carried by
 * the default mapping, as without a transformer, unless it declares them {@linkplain StateWriter#fresh
 * fresh}; one the default mapping cannot carry makes the update fail before any call is switched.
 *
 * <pre>{@code
 * public final class CountsToTallies implements StateTransformer {
 *     public void upgrade(StateReader from, StateWriter to) {
 *         Map<String, Long> counts = from.get("counts", new StateType<Map<String, Long>>() {});
 *         Map<String, Tally> tallies = new ConcurrentHashMap<>();
 *         counts.forEach((k, v) -> tallies.put(k, new Tally(v)));
 *         to.set("tallies", tallies);
 *     }
 * }
 * }</pre>
 *
 * @see ReversibleStateTransformer for a transformer that also declares the way down
 */
@ConsumerType
public interface StateTransformer {
    /**
     * Computes this version's state from the older version's.
     *
     * @param from the old version's state
     * @param to this version's state
     * @throws Exception to refuse the update; the old version then keeps serving, its state untouched
     */
    void upgrade(StateReader from, StateWriter to) throws Exception;
}
