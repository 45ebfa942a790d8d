package org.graft.transformer;

import java.util.Map;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * An explicit state contract, for an implementation whose state is not a set of fields.
 *
 * <p>When the old instance implements it, {@link #exportState()} is its state; when the new instance
 * implements it, {@link #importState(StateReader)} receives the old state (after the declared
 * transformer, if any). Both are called only while no call runs on either instance.
 *
 * <pre>{@code
 * public Map<String, Object> exportState() {
 *     return Map.of("entries", cache.snapshot());
 * }
 * public void importState(StateReader previous) {
 *     cache.load(previous.get("entries", new StateType<Map<String, String>>() {}));
 * }
 * }</pre>
 */
@ConsumerType
public interface StateHolder {
    /** The state of this instance, by name. The values are handed over or converted as fields are. */
    Map<String, Object> exportState();

    /**
     * Takes over the state of the previous version.
     *
     * @throws Exception to refuse the state; the update then aborts and the old version keeps serving
     */
    void importState(StateReader previous) throws Exception;
}
