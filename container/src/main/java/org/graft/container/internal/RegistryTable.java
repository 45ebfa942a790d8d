package org.graft.container.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.graft.container.ManagedService;
import org.graft.container.StagedService;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * What the container knows of managed registrations: the service serving under each identity, the
 * identities being published, the staged registrations, and the bundles being staged; and the waits
 * for registrations to appear.
 *
 * <p>One lock ({@code this}) guards all four, so that each decision (stage or publish, withdraw or
 * promote) sees them at one moment; waiters are notified when a registration is staged or goes. No
 * method calls the framework while it holds the lock: an identity being published is reserved in
 * {@code publishing}, and the registration itself happens outside, so that two registrations of one
 * identity cannot both publish a proxy.
 */
final class RegistryTable {
    /**
     * What an unregistration means: nothing of ours, a withdrawal, a takeover by a waiting provider, or
     * a restart of the provider's bundle to be held across ({@code restarting}: the entry still serves).
     */
    record Unregistration(String identity, ManagedServiceEntry gone, ManagedServiceEntry replaced, StagedServiceEntry successor,
            ManagedServiceEntry restarting) {
        Unregistration(String identity, ManagedServiceEntry gone, ManagedServiceEntry replaced, StagedServiceEntry successor) {
            this(identity, gone, replaced, successor, null);
        }
    }

    private final Map<String, ManagedServiceEntry> serving = new LinkedHashMap<>();
    private final Set<String> publishing = new HashSet<>();
    private final Map<ServiceReference<?>, StagedServiceEntry> staged = new LinkedHashMap<>();
    private final Set<Long> stagingBundles = new HashSet<>();

    /**
     * Stages the registration (its bundle is being staged, or its identity serves or is being
     * published), or else reserves its identity for publishing.
     *
     * @return true if staged; false if the caller is to publish it
     */
    synchronized boolean stageOrReserve(ServiceReference<?> reference, String identity, BundleContext containerContext) {
        if (stagingBundles.contains(reference.getBundle().getBundleId()) || serving.containsKey(identity)
                || publishing.contains(identity)) {
            staged.put(reference, new StagedServiceEntry(identity, reference, containerContext));
            notifyAll();
            return true;
        }
        publishing.add(identity);
        return false;
    }

    /** Ends a reservation; {@code entry} (or null, if publishing failed) now serves under the identity. */
    synchronized void published(String identity, ManagedServiceEntry entry) {
        publishing.remove(identity);
        if (entry != null) {
            serving.put(identity, entry);
        }
    }

    synchronized ManagedServiceEntry servingFor(ServiceReference<?> reference, String identity) {
        return find(reference, identity);
    }

    /**
     * The entry whose original is {@code reference}. Its identity is the one it was published under,
     * which a successor that registers another way may not share.
     */
    private ManagedServiceEntry find(ServiceReference<?> reference, String identity) {
        ManagedServiceEntry byIdentity = identity == null ? null : serving.get(identity);
        if (byIdentity != null && byIdentity.original().equals(reference)) {
            return byIdentity;
        }
        for (ManagedServiceEntry entry : serving.values()) {
            if (entry.original().equals(reference)) {
                return entry;
            }
        }
        return null;
    }

    /**
     * Decides, at one moment, what the unregistration of {@code reference} means, and records it. With
     * {@code restarting} (its bundle is being updated), a serving entry with no waiting provider stays
     * serving, for its successor from the same bundle to take over.
     */
    synchronized Unregistration unregistering(ServiceReference<?> reference, String identity, boolean restarting) {
        if (staged.remove(reference) != null) {
            notifyAll();
            return new Unregistration(identity, null, null, null);
        }
        ManagedServiceEntry entry = find(reference, identity);
        if (entry == null) {
            return new Unregistration(identity, null, null, null);
        }
        StagedServiceEntry successor = standbyOf(entry.identity());
        if (successor != null) {
            staged.remove(successor.reference());
            return new Unregistration(entry.identity(), null, entry, successor);
        }
        if (restarting) {
            return new Unregistration(entry.identity(), null, null, null, entry);
        }
        serving.remove(entry.identity());
        return new Unregistration(entry.identity(), entry, null, null);
    }

    /**
     * A registration of {@code identity} staged while something served it, now that nothing does (a
     * held restart gave up as its successor registered), reserved for publishing; or null.
     */
    synchronized StagedServiceEntry reserveStandby(String identity) {
        if (serving.containsKey(identity) || publishing.contains(identity)) {
            return null;
        }
        StagedServiceEntry standby = standbyOf(identity);
        if (standby != null) {
            staged.remove(standby.reference());
            publishing.add(identity);
        }
        return standby;
    }

    /** The staged entry of {@code reference}, or null. */
    synchronized StagedServiceEntry staged(ServiceReference<?> reference) {
        return staged.get(reference);
    }

    /** A staged registration of the identity that no running update is about to take over. */
    private StagedServiceEntry standbyOf(String identity) {
        for (StagedServiceEntry entry : staged.values()) {
            Bundle provider = entry.provider();
            if (entry.identity().equals(identity) && provider != null && !stagingBundles.contains(provider.getBundleId())) {
                return entry;
            }
        }
        return null;
    }

    /** A takeover failed: the entry is withdrawn after all. */
    synchronized void withdrawn(String identity, ManagedServiceEntry gone) {
        serving.remove(identity, gone);
    }

    synchronized List<ManagedService> serving() {
        return new ArrayList<>(serving.values());
    }

    synchronized void beginStaging(Bundle bundle) {
        stagingBundles.add(bundle.getBundleId());
    }

    /** Stops staging {@code bundle}; returns what it staged that no commit took over, reserved for publishing. */
    synchronized List<StagedServiceEntry> endStaging(Bundle bundle) {
        stagingBundles.remove(bundle.getBundleId());
        List<StagedServiceEntry> leftovers = new ArrayList<>();
        for (StagedServiceEntry entry : new ArrayList<>(staged.values())) {
            if (entry.provider() != null && entry.provider().getBundleId() == bundle.getBundleId()
                    && !serving.containsKey(entry.identity()) && publishing.add(entry.identity())) {
                staged.remove(entry.reference());
                leftovers.add(entry);
            }
        }
        return leftovers;
    }

    synchronized Map<String, StagedService> awaitStaged(Bundle bundle, Collection<String> identities, long timeoutMillis)
            throws TimeoutException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        for (;;) {
            Map<String, StagedService> found = new LinkedHashMap<>();
            for (StagedServiceEntry entry : staged.values()) {
                Bundle provider = entry.provider();
                if (provider != null && provider.getBundleId() == bundle.getBundleId() && identities.contains(entry.identity())) {
                    found.put(entry.identity(), entry);
                }
            }
            if (found.keySet().containsAll(identities)) {
                return found;
            }
            long remaining = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (remaining <= 0) {
                Set<String> missing = new HashSet<>(identities);
                missing.removeAll(found.keySet());
                throw new TimeoutException("bundle " + bundle.getSymbolicName() + " " + bundle.getVersion() + " did not register "
                        + missing + " within " + timeoutMillis + " ms");
            }
            wait(remaining);
        }
    }

    synchronized StagedService awaitSuccessor(Bundle bundle, ManagedService service, long timeoutMillis)
            throws TimeoutException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        Set<String> interfaces = new HashSet<>(service.interfaces());
        for (;;) {
            List<StagedServiceEntry> sameInterfaces = new ArrayList<>();
            for (StagedServiceEntry entry : staged.values()) {
                Bundle provider = entry.provider();
                if (provider == null || provider.getBundleId() != bundle.getBundleId()) {
                    continue;
                }
                if (entry.identity().equals(service.identity())) {
                    return entry;
                }
                if (new HashSet<>(entry.interfaces()).equals(interfaces) && !serving.containsKey(entry.identity())) {
                    sameInterfaces.add(entry);
                }
            }
            if (sameInterfaces.size() == 1) {
                return sameInterfaces.get(0);
            }
            long remaining = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (remaining <= 0) {
                throw new TimeoutException("bundle " + bundle.getSymbolicName() + " " + bundle.getVersion()
                        + " did not register a successor of " + service.identity() + " " + service.interfaces() + " within "
                        + timeoutMillis + " ms" + (sameInterfaces.isEmpty() ? ""
                                : ": several registrations could be it, " + identities(sameInterfaces)
                                        + "; give them graft.id properties, or set identity.property"));
            }
            wait(remaining);
        }
    }

    private static List<String> identities(List<StagedServiceEntry> entries) {
        List<String> names = new ArrayList<>();
        for (StagedServiceEntry entry : entries) {
            names.add(entry.identity());
        }
        return names;
    }

    synchronized List<StagedService> stagedOf(Bundle bundle) {
        List<StagedService> found = new ArrayList<>();
        for (StagedServiceEntry entry : staged.values()) {
            Bundle provider = entry.provider();
            if (provider != null && provider.getBundleId() == bundle.getBundleId()) {
                found.add(entry);
            }
        }
        return found;
    }

    /** After a swap: each staged successor is the original its entry now serves. */
    synchronized void committed(List<ManagedServiceEntry> olds, List<StagedServiceEntry> news) {
        for (int i = 0; i < olds.size(); i++) {
            olds.get(i).replaceOriginal(news.get(i).reference());
            staged.remove(news.get(i).reference());
        }
    }

    /** Forgets everything; returns what served, for the container to withdraw. */
    synchronized List<ManagedServiceEntry> clear() {
        List<ManagedServiceEntry> all = new ArrayList<>(serving.values());
        serving.clear();
        staged.clear();
        return all;
    }
}
