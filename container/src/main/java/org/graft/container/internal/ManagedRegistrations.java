package org.graft.container.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import org.graft.container.internal.log.Logs;
import org.graft.transformer.Managed;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.SynchronousBundleListener;

/**
 * Decides which service registrations the container takes over. The hooks and the registry ask the
 * same question of the same reference, and the answer is decided once per registration, when it is
 * first asked (the hooks ask before the framework tells anyone of it): a registration is either hidden
 * and proxied from the start, or left alone for good.
 *
 * <p>A registration is managed when its bundle opted in (the {@code Graft-Managed} header, or a name
 * in the configured list) and none of these holds, each of which leaves it unmanaged and is logged once
 * with the reason: it was registered before the container's hooks were in place (consumers already use
 * it directly; it is managed from its bundle's next restart on); it is prototype-scoped, or a service
 * factory that gives each bundle an instance of its own (one proxy cannot stand for several instances);
 * one of its interfaces is not visible to its own bundle; another managed registration of the same
 * bundle has the same identity ({@link ServiceIdentity}).
 */
final class ManagedRegistrations implements SynchronousBundleListener {
    private static final System.Logger LOG = Logs.get("org.graft.container");
    /**
     * Registrations left alone without a word: what extenders register on a bundle's behalf to describe
     * it rather than to serve (a BlueprintContainer), and callbacks of the framework's own services,
     * which must see each version register its own (ConfigAdmin calls {@code updated} once per
     * registration, so the next version's ManagedService would never get its configuration behind an
     * unchanged proxy). Each version registers and withdraws these itself.
     */
    private static final Set<String> EXTENDER_SERVICES = Set.of("org.osgi.service.blueprint.container.BlueprintContainer",
            "org.osgi.service.cm.ManagedService", "org.osgi.service.cm.ManagedServiceFactory");

    private final BundleContext context;
    private final long containerBundleId;
    /** Symbolic names managed without the header, and the property that tells registrations apart. */
    private volatile Set<String> configuredNames;
    private volatile String identityProperty;
    /** Opt-in per bundle id; a bundle's headers do not change until it is updated or uninstalled. */
    private final ConcurrentMap<Long, Boolean> optedIn = new ConcurrentHashMap<>();
    /** Service ids below this were registered before the hooks: never managed. MAX until the hooks exist. */
    private volatile long firstManagedServiceId = Long.MAX_VALUE;
    /**
     * The decision for each live registration of an opted-in bundle. Entries are added under this
     * object's lock, after the checks that call the framework, so that two registrations of one
     * identity decided at once cannot both be managed; removed when the registration goes.
     */
    private final Map<ServiceReference<?>, Eligibility> decisions = new ConcurrentHashMap<>();
    /** Instances got while deciding (a service factory's answer to the container), handed to the registry once. */
    private final Map<ServiceReference<?>, Object> instances = new ConcurrentHashMap<>();

    ManagedRegistrations(BundleContext context, Set<String> configuredNames, String identityProperty) {
        this.context = context;
        this.containerBundleId = context.getBundle().getBundleId();
        this.configuredNames = Set.copyOf(configuredNames);
        this.identityProperty = identityProperty;
    }

    /**
     * New names to manage without the header, and a new distinguishing property. Registrations already
     * decided keep what they were: a service consumers already use directly cannot be put behind a proxy
     * without restarting them.
     */
    void configure(Set<String> names, String distinguishingProperty) {
        configuredNames = Set.copyOf(names);
        identityProperty = distinguishingProperty;
        optedIn.clear();
    }

    void hooksRegistered(long hookServiceId) {
        firstManagedServiceId = hookServiceId;
    }

    boolean isManagedBundle(Bundle bundle) {
        return optedIn.computeIfAbsent(bundle.getBundleId(), id -> readOptIn(bundle));
    }

    private boolean readOptIn(Bundle bundle) {
        Object header = bundle.getHeaders("").get(Managed.HEADER);
        return "true".equalsIgnoreCase(header == null ? null : header.toString().trim())
                || configuredNames.contains(bundle.getSymbolicName());
    }

    boolean isManaged(ServiceReference<?> reference) {
        return decide(reference).managed();
    }

    /** The identity of a managed registration, or null for one that is not managed. */
    String identity(ServiceReference<?> reference) {
        Eligibility eligibility = decide(reference);
        return eligibility.managed() ? eligibility.identity() : null;
    }

    /** The instance got from the container's context while deciding, if one was; the caller owns that use. */
    Object takeInstance(ServiceReference<?> reference) {
        return instances.remove(reference);
    }

    /** The registration is gone: forget its decision, so that its identity is free again. */
    void forget(ServiceReference<?> reference) {
        decisions.remove(reference);
        Object instance = instances.remove(reference);
        if (instance != null) {
            context.ungetService(reference);
        }
    }

    Eligibility decide(ServiceReference<?> reference) {
        Eligibility known = decisions.get(reference);
        if (known != null) {
            return known;
        }
        Bundle bundle = reference.getBundle();
        if (bundle == null || bundle.getBundleId() == containerBundleId || !isManagedBundle(bundle)) {
            return Eligibility.NOT_OPTED_IN;
        }
        for (String name : (String[]) reference.getProperty(Constants.OBJECTCLASS)) {
            if (EXTENDER_SERVICES.contains(name)) {
                return Eligibility.NOT_OPTED_IN;
            }
        }
        String identity = ServiceIdentity.of(reference, identityProperty);
        Eligibility decided = check(reference, bundle, identity);
        synchronized (this) {
            known = decisions.get(reference);
            if (known != null) {
                return known;
            }
            if (decided.managed()) {
                List<Long> others = sameIdentity(bundle, identity);
                if (!others.isEmpty()) {
                    decided = Eligibility.unmanaged(identity, "bundle " + describe(bundle) + " registers identity " + identity
                            + " more than once (managed: service " + others + ")"
                            + (ServiceIdentity.derived(reference) ? "; name a property that tells its registrations apart"
                                    + " in identity.property (configuration org.graft.container), or give each a graft.id" : ""));
                }
            }
            decisions.put(reference, decided);
        }
        if (!decided.managed()) {
            Object instance = instances.remove(reference);
            if (instance != null) {
                context.ungetService(reference);
            }
            LOG.log(System.Logger.Level.WARNING, "Graft does not manage service " + reference.getProperty(Constants.SERVICE_ID)
                    + " " + identity + " of bundle " + describe(bundle) + ": " + decided.reason()
                    + ". It serves unmanaged: consumers use it directly, and an update through Graft does not replace it.");
        }
        return decided;
    }

    /** The checks that call the framework; run without a lock (see {@link #decisions}). */
    private Eligibility check(ServiceReference<?> reference, Bundle bundle, String identity) {
        Object serviceId = reference.getProperty(Constants.SERVICE_ID);
        if (!(serviceId instanceof Long) || (Long) serviceId < firstManagedServiceId) {
            return Eligibility.unmanaged(identity, "it was registered before the Graft container started, so consumers may"
                    + " use it directly; it is managed from its bundle's next start on");
        }
        Object scope = reference.getProperty(Constants.SERVICE_SCOPE);
        if (Constants.SCOPE_PROTOTYPE.equals(scope)) {
            return Eligibility.unmanaged(identity, "it is prototype-scoped: each consumer gets instances of its own, which"
                    + " one proxy cannot stand for");
        }
        for (String name : (String[]) reference.getProperty(Constants.OBJECTCLASS)) {
            Class<?> type;
            try {
                type = bundle.loadClass(name);
            } catch (ClassNotFoundException | LinkageError e) {
                return Eligibility.unmanaged(identity, "its interface " + name + " is not visible to its own bundle (" + e
                        + "), so no proxy can implement it");
            }
            if (!type.isInterface()) {
                return Eligibility.unmanaged(identity, "it is registered under the class " + name + ", and a proxy can"
                        + " stand only for interfaces");
            }
        }
        if (Constants.SCOPE_BUNDLE.equals(scope)) {
            return checkFactory(reference, identity);
        }
        return Eligibility.managedAs(identity);
    }

    /**
     * A service factory: managed if it gives every bundle the same instance (as DS does for singleton
     * components), asked of the container and of the system bundle, which the hooks never hide from.
     */
    private Eligibility checkFactory(ServiceReference<?> reference, String identity) {
        Object forContainer = context.getService(reference);
        if (forContainer == null) {
            // The registry reports a provider that yields no instance when it publishes.
            return Eligibility.managedAs(identity);
        }
        BundleContext system = context.getBundle(0).getBundleContext();
        Object forSystem = system.getService(reference);
        if (forSystem != null) {
            system.ungetService(reference);
        }
        if (forSystem != null && forSystem != forContainer) {
            context.ungetService(reference);
            return Eligibility.unmanaged(identity, "it is a service factory that gives each bundle an instance of its own"
                    + " (" + forContainer.getClass().getName() + "), which one proxy cannot stand for");
        }
        instances.put(reference, forContainer);
        return Eligibility.managedAs(identity);
    }

    /** The live registrations of {@code bundle} that it asked to be managed and were not, with the reason. */
    List<String> unmanaged(Bundle bundle) {
        List<String> found = new ArrayList<>();
        for (Map.Entry<ServiceReference<?>, Eligibility> decision : decisions.entrySet()) {
            Bundle owner = decision.getKey().getBundle();
            if (!decision.getValue().managed() && owner != null && owner.getBundleId() == bundle.getBundleId()) {
                found.add("service " + decision.getKey().getProperty(Constants.SERVICE_ID) + " " + decision.getValue().identity()
                        + ": " + decision.getValue().reason());
            }
        }
        return found;
    }

    private List<Long> sameIdentity(Bundle bundle, String identity) {
        List<Long> ids = new ArrayList<>();
        for (Map.Entry<ServiceReference<?>, Eligibility> decision : decisions.entrySet()) {
            Bundle other = decision.getKey().getBundle();
            if (decision.getValue().managed() && identity.equals(decision.getValue().identity()) && other != null
                    && other.getBundleId() == bundle.getBundleId()) {
                ids.add((Long) decision.getKey().getProperty(Constants.SERVICE_ID));
            }
        }
        return ids;
    }

    private static String describe(Bundle bundle) {
        return bundle.getSymbolicName() + " " + bundle.getVersion() + " (id " + bundle.getBundleId() + ")";
    }

    @Override
    public void bundleChanged(BundleEvent event) {
        if (event.getType() == BundleEvent.UPDATED || event.getType() == BundleEvent.UNINSTALLED) {
            optedIn.remove(event.getBundle().getBundleId());
        }
    }
}
