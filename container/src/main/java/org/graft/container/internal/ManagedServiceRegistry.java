package org.graft.container.internal;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.graft.container.ManagedService;
import org.graft.container.ServiceContainer;
import org.graft.container.StagedService;
import org.graft.container.StatePlan;
import org.graft.container.StateTransferException;
import org.graft.container.StateTransferResult;
import org.graft.container.Switchover;
import org.graft.container.internal.gate.CallGate;
import org.graft.container.internal.gate.DirectLinkSupport;
import org.graft.container.internal.gate.GateSet;
import org.graft.container.internal.log.Logs;
import org.graft.container.internal.proxy.ProxyFactory;
import org.graft.container.internal.state.StatePlanner;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceListener;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.Version;

/**
 * The container: follows managed registrations (publishes a proxy for each new identity, stages the
 * registrations of versions being installed, withdraws the proxy when a provider goes away outside an
 * update, lets a waiting provider take over) and offers the {@link ServiceContainer} to the update
 * manager. What it knows of registrations is in the {@link RegistryTable}, whose lock it never holds
 * while calling the framework.
 */
final class ManagedServiceRegistry implements ServiceContainer, ServiceListener {
    private static final System.Logger LOG = Logs.get("org.graft.container");
    private static final Set<String> NOT_COPIED = Set.of(Constants.SERVICE_ID, Constants.SERVICE_BUNDLEID,
            Constants.SERVICE_SCOPE, Constants.OBJECTCLASS);

    private final BundleContext context;
    private final ManagedRegistrations managed;
    private final RegistryTable table = new RegistryTable();
    private final RestartHolds restarts = new RestartHolds();
    /** How long a call may be held; applies to gates created after a change. */
    private volatile long maxHoldMillis;
    /** Whether gates created from now on link their proxies directly (the setting, where the JVM allows it). */
    private volatile boolean directLink;
    /** The settings state plans are made with (fields to carry, strictness); replaced by configuration. */
    private volatile ContainerSettings settings;

    ManagedServiceRegistry(BundleContext context, ManagedRegistrations managed, ContainerSettings settings) {
        this.context = context;
        this.managed = managed;
        configure(settings);
    }

    void configure(ContainerSettings next) {
        settings = next;
        maxHoldMillis = next.maxHoldMillis;
        Optional<String> unsupported = DirectLinkSupport.unsupportedReason();
        boolean direct = next.directLink && unsupported.isEmpty();
        LOG.log(Level.INFO, direct ? "Managed proxies link directly while no update holds them (proxy.link=direct)"
                : "Managed proxies count every call: " + (next.directLink ? unsupported.orElseThrow() : "proxy.link=counted"));
        directLink = direct;
    }

    @Override
    public void serviceChanged(ServiceEvent event) {
        ServiceReference<?> reference = event.getServiceReference();
        if (!managed.isManaged(reference)) {
            if (event.getType() == ServiceEvent.UNREGISTERING) {
                managed.forget(reference);
            }
            return;
        }
        switch (event.getType()) {
        case ServiceEvent.REGISTERED:
            registered(reference);
            break;
        case ServiceEvent.MODIFIED:
            modified(reference);
            break;
        case ServiceEvent.UNREGISTERING:
            try {
                unregistering(reference);
            } finally {
                managed.forget(reference);
            }
            break;
        default:
            break;
        }
    }

    /**
     * Decides (and so logs, once) the registrations of opted-in bundles that consumers saw before the
     * container started: they serve on unmanaged until their bundle restarts.
     */
    void reportEarlyStarters() throws org.osgi.framework.InvalidSyntaxException {
        ServiceReference<?>[] all = context.getAllServiceReferences(null, null);
        if (all == null) {
            return;
        }
        for (ServiceReference<?> reference : all) {
            managed.decide(reference);
        }
    }

    private void registered(ServiceReference<?> reference) {
        String identity = managed.identity(reference);
        if (!table.stageOrReserve(reference, identity, context)) {
            publish(identity, reference);
            return;
        }
        Bundle bundle = reference.getBundle();
        RestartHolds.Held held = bundle == null ? null : restarts.take(identity, bundle.getBundleId());
        if (held != null) {
            resume(held, table.staged(reference));
        }
    }

    private void publish(String identity, ServiceReference<?> reference) {
        ManagedServiceEntry entry = null;
        try {
            entry = createEntry(identity, reference);
        } catch (RuntimeException e) {
            Bundle bundle = reference.getBundle();
            LOG.log(Level.ERROR, "Graft refused to manage service " + identity + " of bundle "
                    + (bundle == null ? "(gone)" : bundle.getSymbolicName() + " " + bundle.getVersion())
                    + ": " + e.getMessage() + ". The service stays hidden and unused; fix the bundle and restart it.", e);
            context.ungetService(reference);
        } finally {
            table.published(identity, entry);
        }
    }

    private ManagedServiceEntry createEntry(String identity, ServiceReference<?> reference) {
        Bundle provider = reference.getBundle();
        String[] names = (String[]) reference.getProperty(Constants.OBJECTCLASS);
        List<Class<?>> interfaces = new ArrayList<>();
        for (String name : names) {
            try {
                interfaces.add(provider.loadClass(name));
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("its interface " + name + " is not visible to its own bundle", e);
            }
        }
        Object decided = managed.takeInstance(reference);
        Object implementation = decided != null ? decided : context.getService(reference);
        if (implementation == null) {
            throw new IllegalStateException("it did not activate: the framework returned no instance");
        }
        CallGate gate = new CallGate(identity, implementation, provider.getVersion().toString(), maxHoldMillis, directLink);
        Object proxy = ProxyFactory.create(interfaces, gate);
        ServiceRegistration<?> registration = context.registerService(names, proxy, proxyProperties(reference, identity));
        return new ManagedServiceEntry(identity, List.of(names), interfaces, gate, registration, reference);
    }

    private static Hashtable<String, Object> proxyProperties(ServiceReference<?> original, String identity) {
        Hashtable<String, Object> properties = new Hashtable<>();
        for (String key : original.getPropertyKeys()) {
            if (!NOT_COPIED.contains(key)) {
                properties.put(key, original.getProperty(key));
            }
        }
        Bundle provider = original.getBundle();
        properties.put("graft.managed", Boolean.TRUE);
        properties.put("graft.identity", identity);
        if (provider != null) {
            properties.put("graft.provider", provider.getSymbolicName());
            properties.put("graft.version", provider.getVersion().toString());
        }
        return properties;
    }

    private void modified(ServiceReference<?> reference) {
        ManagedServiceEntry entry = table.servingFor(reference, managed.identity(reference));
        if (entry != null) {
            entry.registration().setProperties(proxyProperties(reference, entry.identity()));
        }
    }

    private void unregistering(ServiceReference<?> reference) {
        Bundle provider = reference.getBundle();
        RegistryTable.Unregistration what = table.unregistering(reference, managed.identity(reference),
                RestartHolds.updating(provider));
        if (what.restarting() != null && holdAcrossRestart(what.restarting(), provider)) {
            context.ungetService(reference);
            return;
        }
        ManagedServiceEntry gone = what.restarting() != null ? what.restarting() : what.gone();
        if (what.replaced() != null && !promote(what.replaced(), what.successor())) {
            gone = what.replaced();
            table.withdrawn(what.identity(), gone);
        }
        if (gone != null) {
            Bundle bundle = reference.getBundle();
            String named = bundle == null ? "" : bundle.getSymbolicName() + " " + bundle.getVersion() + " ";
            if (RestartHolds.provisioning()) {
                LOG.log(Level.WARNING, "Managed service " + what.identity() + " withdrawn: Karaf's features service stopped its"
                        + " provider " + named + "(a feature:install, feature:uninstall or feature upgrade): calls fail until"
                        + " a version registers it again, with a state of its own. To upgrade a feature's managed bundles"
                        + " with no failed call and their state kept, use dsu:update --feature name/version");
            } else {
                LOG.log(Level.INFO, "Managed service " + what.identity() + " withdrawn: its provider " + named + "unregistered it");
            }
            withdraw(gone);
        }
        context.ungetService(reference);
    }

    /**
     * Holds {@code entry}'s calls while its provider bundle is updated (see {@link RestartHolds}).
     *
     * @return false if it cannot be held: the entry is then withdrawn as any other whose provider went away
     */
    private boolean holdAcrossRestart(ManagedServiceEntry entry, Bundle provider) {
        long waitMillis = Math.min(RestartHolds.MAX_WAIT_MILLIS, maxHoldMillis);
        try {
            restarts.hold(entry, provider, waitMillis, expired -> withdrawAfterRestart(expired,
                    "the updated bundle registered no " + entry.identity() + " within " + waitMillis + " ms"));
        } catch (IllegalStateException e) {
            // An update holds the gate (it is switching this very service): the service goes as before.
            LOG.log(Level.WARNING, "Graft cannot hold " + entry.identity() + " across the update of its bundle: " + e.getMessage());
            table.withdrawn(entry.identity(), entry);
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            table.withdrawn(entry.identity(), entry);
            return false;
        }
        LOG.log(Level.INFO, "Graft holds the calls of " + entry.identity() + " while the framework updates its bundle "
                + provider.getSymbolicName() + " " + provider.getVersion() + " (id " + provider.getBundleId() + ")");
        return true;
    }

    /**
     * The updated bundle registered the identity again: the held calls go to the new instance, with the
     * state of the one that served before. The old instance cannot serve any more (its bundle stopped),
     * so a state that cannot be carried is reported and the new instance serves with its own.
     */
    private void resume(RestartHolds.Held held, StagedServiceEntry successor) {
        ManagedServiceEntry entry = held.entry();
        Object next;
        try {
            next = instanceToServe(entry, successor);
        } catch (IllegalStateException e) {
            withdrawAfterRestart(held, e.getMessage());
            return;
        }
        Bundle provider = successor.provider();
        String carried = carryState(held, next, provider.getVersion());
        held.gates().swap(List.of(next), List.of(provider.getVersion().toString()));
        long heldMicros = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - held.heldAtNanos());
        committed(List.of(entry), List.of(successor));
        LOG.log(Level.INFO, "Graft kept " + entry.identity() + " serving across the update of bundle " + provider.getSymbolicName()
                + " (id " + provider.getBundleId() + ") from " + held.previousVersion() + " to " + provider.getVersion()
                + ": calls were held " + heldMicros + " µs, " + carried);
    }

    private String carryState(RestartHolds.Held held, Object next, Version nextVersion) {
        String identity = held.entry().identity();
        try {
            StatePlan plan = StatePlanner.plan(held.previous().getClass(), held.previousVersion(), next.getClass(), nextVersion,
                    settings.stateOf(identity));
            if (plan.refusal().isPresent()) {
                LOG.log(Level.ERROR, "Graft could not carry the state of " + identity + " across the update of its bundle: "
                        + plan.refusal().get() + ". The new version serves with its own initial state.");
                return "state not carried: " + plan.refusal().get();
            }
            StateTransferResult result = plan.transfer(held.previous(), next);
            return result.entries() + " state entries carried";
        } catch (StateTransferException | RuntimeException e) {
            LOG.log(Level.ERROR, "Graft could not carry the state of " + identity + " across the update of its bundle: " + e.getMessage()
                    + ". The new version serves with its own initial state.", e);
            return "state not carried: " + e.getMessage();
        }
    }

    /** No successor could take over a held restart: the proxy goes, and the held calls fail. */
    private void withdrawAfterRestart(RestartHolds.Held held, String reason) {
        ManagedServiceEntry entry = held.entry();
        table.withdrawn(entry.identity(), entry);
        withdraw(entry);
        LOG.log(Level.ERROR, "Managed service " + entry.identity() + " withdrawn: its bundle was updated from "
                + held.previousVersion() + " (id " + held.bundleId() + "), but " + reason + "; the calls held meanwhile failed");
        // A successor that registered just as the wait ran out was staged behind the entry: it serves now.
        StagedServiceEntry late = table.reserveStandby(entry.identity());
        if (late != null) {
            publish(entry.identity(), late.reference());
        }
    }

    /**
     * The serving provider went away while another bundle had a registration of the same identity
     * waiting (after a restart that interrupted an update, or two providers of one service): the
     * waiting one serves on behind the same proxy, so consumers keep their service. There is no state
     * to carry: the provider that held it is gone.
     *
     * @return false if the successor cannot serve (it did not activate, or implements other interfaces)
     */
    private boolean promote(ManagedServiceEntry entry, StagedServiceEntry successor) {
        Object implementation;
        try {
            implementation = instanceToServe(entry, successor);
        } catch (IllegalStateException e) {
            LOG.log(Level.ERROR, "The waiting provider of " + entry.identity() + " cannot take over: " + e.getMessage(), e);
            return false;
        }
        GateSet gates = new GateSet(List.of(entry.gate()));
        try {
            gates.hold();
        } catch (IllegalStateException e) {
            // An update holds the gate (it is switching this very service): it decides what serves next.
            LOG.log(Level.ERROR, "The waiting provider of " + entry.identity() + " cannot take over: " + e.getMessage(), e);
            return false;
        }
        // No drain here: the instance that served has gone with its provider.
        gates.ignoreUncountedCalls();
        gates.swap(List.of(implementation), List.of(successor.provider().getVersion().toString()));
        committed(List.of(entry), List.of(successor));
        LOG.log(Level.INFO, "Managed service " + entry.identity() + " is now served by " + successor.provider().getSymbolicName()
                + " " + successor.provider().getVersion() + ": its previous provider went away");
        return true;
    }

    /**
     * The successor's instance, once it can serve behind {@code entry}'s proxy: activated, and
     * implementing the very interface classes the consumers use.
     *
     * @throws IllegalStateException saying why it cannot
     */
    private static Object instanceToServe(ManagedServiceEntry entry, StagedServiceEntry successor) {
        Object implementation = successor.implementation();
        Optional<String> problem = InterfaceCompatibility.problem(entry.interfaceClasses(), implementation.getClass());
        if (problem.isPresent()) {
            throw new IllegalStateException(problem.get());
        }
        return implementation;
    }

    /** The proxy goes: consumers see it unregister, and calls held at its gate fail. */
    private static void withdraw(ManagedServiceEntry entry) {
        unregisterQuietly(entry.registration());
        entry.gate().close();
    }

    private static void unregisterQuietly(ServiceRegistration<?> registration) {
        try {
            registration.unregister();
        } catch (IllegalStateException alreadyUnregistered) {
            // The container is stopping and the framework already withdrew it: nothing left to do.
        }
    }

    @Override
    public boolean isManaged(Bundle bundle) {
        return managed.isManagedBundle(bundle);
    }

    @Override
    public List<ManagedService> managedServices() {
        return table.serving();
    }

    @Override
    public List<String> unmanagedServices(Bundle bundle) {
        return managed.unmanaged(bundle);
    }

    @Override
    public void beginStaging(Bundle bundle) {
        table.beginStaging(bundle);
    }

    /** Publishes what the bundle staged that no commit took over, and stops staging it. */
    @Override
    public void endStaging(Bundle bundle) {
        for (StagedServiceEntry entry : table.endStaging(bundle)) {
            publish(entry.identity(), entry.reference());
        }
    }

    @Override
    public Map<String, StagedService> awaitStaged(Bundle bundle, Collection<String> identities, long timeoutMillis)
            throws TimeoutException, InterruptedException {
        return table.awaitStaged(bundle, identities, timeoutMillis);
    }

    @Override
    public StagedService awaitSuccessor(Bundle bundle, ManagedService service, long timeoutMillis)
            throws TimeoutException, InterruptedException {
        return table.awaitSuccessor(bundle, service, timeoutMillis);
    }

    @Override
    public List<StagedService> stagedServices(Bundle bundle) {
        return table.stagedOf(bundle);
    }

    @Override
    public Switchover switchover(Map<ManagedService, StagedService> replacements) {
        List<ManagedServiceEntry> olds = new ArrayList<>();
        List<StagedServiceEntry> news = new ArrayList<>();
        for (Map.Entry<ManagedService, StagedService> replacement : replacements.entrySet()) {
            ManagedServiceEntry old = (ManagedServiceEntry) replacement.getKey();
            StagedServiceEntry successor = (StagedServiceEntry) replacement.getValue();
            Optional<String> problem = InterfaceCompatibility.problem(old.interfaceClasses(), successor.implementation().getClass());
            if (problem.isPresent()) {
                throw new IllegalArgumentException("the new " + old.identity() + ": " + problem.get());
            }
            olds.add(old);
            news.add(successor);
        }
        return new GateSwitchover(this, olds, news);
    }

    @Override
    public Optional<String> incompatibility(ManagedService service, Class<?> implementation) {
        return InterfaceCompatibility.problem(((ManagedServiceEntry) service).interfaceClasses(), implementation);
    }

    /** After a swap: the staged services now serve; their proxies advertise them. */
    void committed(List<ManagedServiceEntry> olds, List<StagedServiceEntry> news) {
        table.committed(olds, news);
        for (int i = 0; i < olds.size(); i++) {
            try {
                olds.get(i).registration().setProperties(proxyProperties(news.get(i).reference(), olds.get(i).identity()));
            } catch (IllegalStateException e) {
                // The swap has happened and must not be undone: the proxy serves the new version. Only
                // its advertised properties are stale (the registration is going away with the container).
                LOG.log(Level.WARNING, "The proxy of " + olds.get(i).identity() + " serves the new version, but its"
                        + " service properties could not be updated: " + e.getMessage(), e);
            }
        }
    }

    @Override
    public StatePlan planState(Class<?> fromClass, Version fromVersion, Class<?> toClass, Version toVersion) {
        return StatePlanner.plan(fromClass, fromVersion, toClass, toVersion);
    }

    @Override
    public StatePlan planState(ManagedService service, Class<?> toClass, Version toVersion) {
        return StatePlanner.plan(service.implementation().getClass(), service.provider().getVersion(), toClass, toVersion,
                settings.stateOf(service.identity()));
    }

    /** Withdraws every proxy; the container is stopping. */
    void close() {
        restarts.close();
        for (ManagedServiceEntry entry : table.clear()) {
            withdraw(entry);
        }
    }
}
