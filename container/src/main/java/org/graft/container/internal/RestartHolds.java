package org.graft.container.internal;

import java.lang.System.Logger.Level;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.graft.container.internal.gate.GateSet;
import org.graft.container.internal.log.Logs;
import org.osgi.framework.Bundle;
import org.osgi.framework.Version;

/**
 * Managed services whose provider bundle is being updated in place ({@code Bundle.update}: Karaf's
 * {@code bundle:update}, FileInstall's update of a jar it installed; not Karaf's features service, whose
 * deployment stops a bundle with a plain stop before it updates it, a stop no different from the one
 * before a refresh): the framework stops the bundle, replaces its revision and starts it
 * again, under the same bundle id. Instead of withdrawing the proxy when the old revision unregisters,
 * the container holds the service's calls, lets the calls in flight end on the old instance (before its
 * bundle deactivates it), and keeps that instance; when the new revision registers the same identity,
 * its state is carried from the old instance and the held calls are released to the new one. If no
 * successor registers within the wait, the proxy is withdrawn after all and the held calls fail.
 *
 * <p>Only an update: a stop, an uninstall or a refresh withdraws the service at once, as before. A
 * refresh restarts whole sets of bundles, and a consumer restarted in the same refresh that calls the
 * service while it is held would block the very refresh that brings the successor. Whether the
 * framework is updating the bundle is read from the stack of the thread that unregisters (Felix's
 * {@code updateBundle} frame): the framework says so in no other way before the update is done.
 *
 * <p>Thread-safety: a hold is made on the thread that unregisters the old service and taken over,
 * exactly once, by the thread that registers the successor or by the timeout; the map, guarded by
 * {@code this}, hands the {@link GateSet} from one to the other (the set itself is used by one thread
 * at a time).
 */
final class RestartHolds implements AutoCloseable {
    private static final System.Logger LOG = Logs.get("org.graft.container");
    /** The longest a held restart waits for its successor; shorter if held calls may wait less. */
    static final long MAX_WAIT_MILLIS = 10_000;
    private static final long DRAIN_MILLIS = 5_000;
    private static final String FELIX = "org.apache.felix.framework.Felix";
    private static final String KARAF_DEPLOYER = "org.apache.karaf.features.internal.service.Deployer";

    /** One held restart: the entry, its held gate, the instance and version that served before. */
    record Held(ManagedServiceEntry entry, GateSet gates, Object previous, Version previousVersion, long bundleId,
            long heldAtNanos, ScheduledFuture<?> timeout) {
    }

    private final Map<String, Held> held = new HashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "graft-restart-wait");
        thread.setDaemon(true);
        return thread;
    });

    /** Whether the current thread is inside the framework's update of {@code bundle} (Felix). */
    static boolean updating(Bundle bundle) {
        if (bundle == null || bundle.getState() != Bundle.STOPPING) {
            return false;
        }
        return StackWalker.getInstance().walk(frames -> frames.anyMatch(
                frame -> FELIX.equals(frame.getClassName()) && "updateBundle".equals(frame.getMethodName())));
    }

    /** Whether the current thread runs a deployment of Karaf's features service (which installs, updates and uninstalls bundles). */
    static boolean provisioning() {
        return StackWalker.getInstance().walk(frames -> frames.anyMatch(frame -> KARAF_DEPLOYER.equals(frame.getClassName())));
    }

    /**
     * Holds the calls of {@code entry}, whose provider {@code bundle} is being updated, and waits (bounded)
     * for those in flight to end.
     *
     * @param withdraw what to do with the entry if no successor comes within {@code waitMillis}
     * @throws IllegalStateException if the gate cannot be held (an update is switching it)
     */
    void hold(ManagedServiceEntry entry, Bundle bundle, long waitMillis, Consumer<Held> withdraw) throws InterruptedException {
        hold(entry, bundle.getBundleId(), bundle.getVersion(), waitMillis, withdraw);
    }

    /** {@link #hold(ManagedServiceEntry, Bundle, long, Consumer)}, with the bundle's id and (old) version. */
    void hold(ManagedServiceEntry entry, long bundleId, Version version, long waitMillis, Consumer<Held> withdraw)
            throws InterruptedException {
        GateSet gates = new GateSet(List.of(entry.gate()));
        long heldAt = System.nanoTime();
        gates.hold();
        if (!gates.awaitDrained(DRAIN_MILLIS, TimeUnit.MILLISECONDS)) {
            LOG.log(Level.WARNING, "Graft holds " + entry.identity() + " across the update of its bundle (id " + bundleId
                    + "), but calls still ran on the old version after " + DRAIN_MILLIS + " ms: " + gates.inFlight()
                    + "; they go on while the framework stops it");
        }
        Object previous = entry.implementation();
        String identity = entry.identity();
        synchronized (this) {
            // Scheduled under the lock: the timer's take waits for the put below, so it always finds the hold.
            ScheduledFuture<?> timeout = timer.schedule(() -> {
                Held expired = take(identity, bundleId);
                if (expired != null) {
                    withdraw.accept(expired);
                }
            }, waitMillis, TimeUnit.MILLISECONDS);
            held.put(identity, new Held(entry, gates, previous, version, bundleId, heldAt, timeout));
        }
    }

    /** The hold of {@code identity} if {@code bundleId} is the bundle it waits for; it is no longer held here. */
    synchronized Held take(String identity, long bundleId) {
        Held found = held.get(identity);
        if (found == null || found.bundleId() != bundleId) {
            return null;
        }
        held.remove(identity);
        found.timeout().cancel(false);
        return found;
    }

    /** Whether a restart of {@code identity} is held. */
    synchronized boolean isHeld(String identity) {
        return held.containsKey(identity);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
