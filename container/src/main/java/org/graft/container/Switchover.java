package org.graft.container;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The switch of a set of managed services to their staged successors, driven by one update thread:
 * optionally {@link #unlink}, {@link #hold()}, optionally {@link #awaitQuiescence}, then either
 * {@link #commit()} or {@link #abort()}. No consumer can see a mix of old and new versions within the set.
 */
@ProviderType
public interface Switchover {
    /**
     * Before the hold, with calls flowing: moves every call of the set onto the counted path and waits
     * until none runs uncounted (proxies linked directly, see {@link ManagedService#link()}), so that
     * the wait is not part of the time calls are held. Without it, {@link #awaitQuiescence} waits for
     * them, while calls are held. Nothing is held by it; {@link #abort()} undoes it.
     *
     * @return false if uncounted calls still ran at the timeout; {@link #uncountedCalls()} names them
     * @throws IllegalStateException naming the service, if another switchover holds one of the set
     * @since 1.6
     */
    boolean unlink(long timeout, TimeUnit unit) throws InterruptedException;

    /**
     * The threads still in an uncounted call when {@link #unlink} or {@link #awaitQuiescence} last
     * timed out, each with the proxy it was in; empty otherwise.
     *
     * @since 1.6
     */
    List<String> uncountedCalls();

    /** Holds new calls to every service of the set; running calls go on. */
    void hold();

    /** Waits until no call runs on any old implementation of the set: uncounted ones first, if {@link #unlink} did not. */
    boolean awaitQuiescence(long timeout, TimeUnit unit) throws InterruptedException;

    /** Calls still running, by identity. */
    Map<String, Long> callsInFlight();

    /**
     * Points every proxy at its new implementation and releases held calls there. This is the point of
     * no return: nothing after the switch can make it throw. (The new bundles' services that had no
     * predecessor start serving at {@link ServiceContainer#endStaging}.)
     */
    void commit();

    /** Waits until no call runs on the replaced implementations (after commit). */
    boolean awaitRetiredQuiescence(long timeout, TimeUnit unit) throws InterruptedException;

    /** Releases held calls to the old implementations and lets go of the staged ones. */
    void abort();

    /**
     * When held calls were released, by {@link #commit()} or {@link #abort()}, on the
     * {@link System#nanoTime()} clock; 0 while none were. What follows the release in those methods
     * (the registry's {@code MODIFIED} event, say) runs with calls flowing, and is not held time.
     *
     * @since 1.1
     */
    long releasedAtNanos();
}
