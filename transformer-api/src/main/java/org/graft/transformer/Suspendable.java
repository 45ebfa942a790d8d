package org.graft.transformer;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Optional hooks for an implementation that does work outside of calls (timers, threads), after
 * Erlang's {@code sys:suspend} and {@code sys:resume}.
 *
 * <p>The old instance is suspended once calls have drained and before its state is read; the new
 * instance is resumed after its state was written and before the first call reaches it. If the update
 * aborts after the old instance was suspended, the old instance is resumed.
 *
 * <pre>{@code
 * public void suspend() { flusher.cancel(false); }
 * public void resume() { flusher = timer.scheduleAtFixedRate(this::flush, 1, 1, SECONDS); }
 * }</pre>
 */
@ConsumerType
public interface Suspendable {
    /** Stops the instance's own background work; its state must not change after this returns. */
    void suspend() throws Exception;

    /** Starts (or restarts) the instance's own background work. */
    void resume() throws Exception;
}
