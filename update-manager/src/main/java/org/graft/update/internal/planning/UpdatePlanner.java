package org.graft.update.internal.planning;

import java.util.ArrayList;
import java.util.Dictionary;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import org.graft.container.ManagedService;
import org.graft.container.ServiceContainer;
import org.graft.container.StateEntryPlan;
import org.graft.container.StatePlan;
import org.graft.update.dto.BundleUpdateDTO;
import org.graft.update.dto.UpdateOptionsDTO;
import org.graft.update.dto.UpdateRequestDTO;
import org.graft.update.internal.config.JarPolicy;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.Version;
import org.osgi.framework.wiring.FrameworkWiring;

/**
 * The two halves of planning an update, neither of which installs, starts or stops anything:
 * {@link #select} reads the request (which running bundles, which jars) into a {@link Selection};
 * {@link #plan} reads the next versions, once the transaction has installed them, into an
 * {@link UpdatePlan}: services matched by identity, interfaces checked, state planned. Resolving the
 * installed next versions is the only change planning makes to the framework. Every refusal names the
 * bundle, the service or the state entry.
 */
public final class UpdatePlanner {
    /** The suffix an update gives a location that an installed bundle already has (see the install step). */
    private static final Pattern UPDATE_SUFFIX = Pattern.compile("#graft-update-\\d+$");

    private final BundleContext context;
    private final ServiceContainer container;
    private final FrameworkWiring wiring;
    private final FeatureSource features;

    private volatile JarPolicy jars = JarPolicy.DEFAULT;

    public UpdatePlanner(BundleContext context, ServiceContainer container, FeatureSource features) {
        this.context = context;
        this.container = container;
        this.wiring = context.getBundle(0).adapt(FrameworkWiring.class);
        this.features = features;
    }

    /** Checks the options, finds each running bundle and reads and checks its next version's jar. */
    public Selection select(UpdateRequestDTO request) throws Refusal {
        String feature = request == null || request.feature == null || request.feature.isBlank() ? null : request.feature.trim();
        if (feature == null && (request == null || request.bundles == null || request.bundles.isEmpty())) {
            throw new Refusal("the update names no bundle");
        }
        UpdateOptionsDTO options = checkedOptions(request.options);
        List<SelectedBundle> selected = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        for (BundleUpdateDTO entry : request.bundles == null ? List.<BundleUpdateDTO>of() : request.bundles) {
            Bundle running = managedBundle(entry.bundle);
            checkExpectedVersion(running, options, "update");
            if (!seen.add(running.getBundleId())) {
                throw new Refusal("bundle " + describe(running) + " is named twice in one update");
            }
            String location;
            if (entry.location == null || entry.location.isBlank()) {
                // the bundle's own location was trusted when it was installed
                location = ownLocation(running);
            } else {
                location = entry.location.trim();
                try {
                    jars.checkLocation(location);
                } catch (IllegalArgumentException e) {
                    throw new Refusal(e.getMessage(), e);
                }
            }
            selected.add(next(running, read(location), location));
        }
        if (feature != null) {
            selected.addAll(featureBundles(feature, seen));
        }
        return new Selection(selected, options, feature);
    }

    /**
     * The bundles of {@code feature} that are other versions of managed bundles installed; the rest of
     * the feature is left to the features service. Refused if it has none.
     */
    private List<SelectedBundle> featureBundles(String feature, Set<Long> seen) throws Refusal {
        List<SelectedBundle> selected = new ArrayList<>();
        List<String> unchanged = new ArrayList<>();
        for (String location : features.bundleLocations(feature)) {
            BundleSource source = read(location);
            Bundle running = servingBundleNamed(source.symbolicName());
            if (running == null) {
                continue;
            }
            if (running.getVersion().equals(source.version())) {
                unchanged.add(describe(running));
            } else if (seen.add(running.getBundleId())) {
                selected.add(next(running, source, location));
            }
        }
        if (selected.isEmpty()) {
            throw new Refusal("the feature " + feature + " brings no other version of a managed bundle"
                    + (unchanged.isEmpty() ? " (it has none)" : " (" + String.join(", ", unchanged) + " already run)")
                    + ": install it with feature:install");
        }
        return selected;
    }

    /** The installed bundle of that symbolic name whose managed services serve, if any. */
    private Bundle servingBundleNamed(String symbolicName) {
        for (ManagedService service : container.managedServices()) {
            Bundle provider = service.provider();
            if (provider != null && symbolicName.equals(provider.getSymbolicName())) {
                return provider;
            }
        }
        return null;
    }

    /**
     * Refuses a request whose requester saw another version running than runs now: another update
     * changed it since (its request waited for that one to finish).
     */
    static void checkExpectedVersion(Bundle running, UpdateOptionsDTO options, String kind) throws Refusal {
        if (options.expectedVersion == null || options.expectedVersion.isBlank()) {
            return;
        }
        Version expected;
        try {
            expected = Version.parseVersion(options.expectedVersion.trim());
        } catch (IllegalArgumentException e) {
            throw new Refusal("the expected version '" + options.expectedVersion + "' is not a version", e);
        }
        if (!expected.equals(running.getVersion())) {
            throw new Refusal(running.getSymbolicName() + " runs " + running.getVersion() + " now, not " + expected
                    + " as when this " + kind + " was asked: another update changed it meanwhile; ask again if it is still wanted");
        }
    }

    /** Which locations a request may name, and how large a jar may be; replaced when the configuration changes. */
    public void jarPolicy(JarPolicy policy) {
        jars = policy;
    }

    public JarPolicy jarPolicy() {
        return jars;
    }

    private BundleSource read(String location) throws Refusal {
        try {
            return BundleSource.read(location, jars);
        } catch (IllegalArgumentException e) {
            throw new Refusal(e.getMessage(), e);
        }
    }

    /**
     * The options, or the defaults for none; refused if the strategy is unknown or a timeout is not a
     * positive number of milliseconds (caught here, before anything runs, not once calls are held).
     */
    static UpdateOptionsDTO checkedOptions(UpdateOptionsDTO options) throws Refusal {
        UpdateOptionsDTO checked = options == null ? new UpdateOptionsDTO() : options;
        if (!UpdateOptionsDTO.DRAIN.equals(checked.strategy) && !UpdateOptionsDTO.COEXIST.equals(checked.strategy)) {
            throw new Refusal("unknown strategy '" + checked.strategy + "': use " + UpdateOptionsDTO.DRAIN + " or "
                    + UpdateOptionsDTO.COEXIST);
        }
        positive("drain timeout (--drain-timeout)", checked.quiescenceTimeoutMillis);
        positive("transfer timeout (--transfer-timeout)", checked.transferTimeoutMillis);
        positive("service timeout", checked.serviceTimeoutMillis);
        if (checked.holdLimitMillis < 0L) {
            throw new Refusal("the hold limit (--hold-limit) must be 0 (none) or a positive number of ms, not " + checked.holdLimitMillis);
        }
        return checked;
    }

    private static void positive(String what, long millis) throws Refusal {
        if (millis <= 0L) {
            throw new Refusal("the " + what + " must be a positive number of ms, not " + millis);
        }
    }

    /** The single installed bundle a selector names, refused unless Graft manages it. */
    Bundle managedBundle(String selector) throws Refusal {
        Bundle bundle;
        try {
            bundle = BundleSelector.single(context, selector, this::providesManagedServices);
        } catch (IllegalArgumentException e) {
            throw new Refusal(e.getMessage() + "; managed bundles: " + managedBundleNames());
        }
        if (!container.isManaged(bundle)) {
            throw new Refusal("bundle " + describe(bundle) + " is not managed by Graft (no Graft-Managed"
                    + " header and not configured): it cannot be updated dynamically; use bundle:update");
        }
        return bundle;
    }

    /** Whether a managed service is served by {@code bundle} now. */
    boolean providesManagedServices(Bundle bundle) {
        return container.managedServices().stream().anyMatch(service -> service.provider() != null
                && service.provider().getBundleId() == bundle.getBundleId());
    }

    /** The bundle's own location, as it was given before any update made it unique. */
    private static String ownLocation(Bundle bundle) {
        return UPDATE_SUFFIX.matcher(bundle.getLocation()).replaceFirst("");
    }

    /**
     * Reads the archived jar at {@code location}, a version that ran here before, as the next version of
     * {@code running}. Its signature is not asked for again: it was applied through a checked channel, or
     * ran before any policy required one, and a rollback must be able to return to what ran.
     */
    SelectedBundle nextFromArchive(Bundle running, String location) throws Refusal {
        BundleSource source;
        try {
            source = BundleSource.read(location, jars.maxBytes());
        } catch (IllegalArgumentException e) {
            throw new Refusal(e.getMessage(), e);
        }
        return next(running, source, location);
    }

    /** Checks the jar read from {@code location} as the next version of {@code running}. */
    SelectedBundle next(Bundle running, BundleSource source, String location) throws Refusal {
        if (!source.symbolicName().equals(running.getSymbolicName())) {
            throw new Refusal("the jar at " + location + " is bundle " + source.symbolicName() + " " + source.version()
                    + ", not a version of " + running.getSymbolicName());
        }
        if (source.version().equals(running.getVersion())) {
            throw new Refusal(describe(running) + " is already running: the jar at " + location + " has the same version");
        }
        return new SelectedBundle(running, source);
    }

    private Set<String> managedBundleNames() {
        Set<String> names = new TreeSet<>();
        for (ManagedService service : container.managedServices()) {
            names.add(service.provider().getSymbolicName());
        }
        return names;
    }

    /**
     * Resolves the installed next versions, then matches each running managed service to the component
     * of its next version and plans its state. The plan lists every service it looked at, refused ones
     * included, so that a dry run shows what it found.
     */
    public UpdatePlan plan(List<Replacement> replacements, UpdateOptionsDTO options) {
        List<String> refusals = new ArrayList<>();
        List<Bundle> installed = replacements.stream().map(Replacement::installed).toList();
        if (!wiring.resolveBundles(installed)) {
            for (Replacement replacement : replacements) {
                if ((replacement.installed().getState() & Bundle.INSTALLED) != 0) {
                    refusals.add(replacement.describeNext() + " does not resolve: "
                            + ResolutionDiagnostics.unresolvedRequirements(replacement.installed(), wiring));
                }
            }
            return new UpdatePlan(List.of(), refusals);
        }
        List<PlannedBundle> bundles = new ArrayList<>();
        for (Replacement replacement : replacements) {
            bundles.add(planBundle(replacement, options, refusals));
        }
        return new UpdatePlan(bundles, refusals);
    }

    private PlannedBundle planBundle(Replacement replacement, UpdateOptionsDTO options, List<String> refusals) {
        List<ComponentDescriptors.Component> components;
        try {
            components = ComponentDescriptors.of(replacement.installed());
        } catch (IllegalArgumentException e) {
            refusals.add(e.getMessage());
            return new PlannedBundle(replacement, List.of());
        }
        List<PlannedService> services = new ArrayList<>();
        for (ManagedService running : container.managedServices()) {
            if (running.provider().getBundleId() == replacement.running().getBundleId()) {
                services.add(planService(replacement, running, components, options, refusals));
            }
        }
        List<String> unmanaged = container.unmanagedServices(replacement.running());
        if (services.isEmpty()) {
            refusals.add(replacement.describeRunning() + " has no managed service serving: nothing to update dynamically"
                    + (unmanaged.isEmpty() ? "" : " (its services are left unmanaged: " + unmanaged + ")"));
        } else if (!unmanaged.isEmpty() && !options.withdrawUnmanaged) {
            refusals.add(replacement.describeRunning() + " also registers services Graft does not manage, which replacing"
                    + " the bundle would withdraw from their consumers: " + unmanaged + "; allow that with the option"
                    + " withdrawUnmanaged (dsu:update --withdraw-unmanaged), or use bundle:update");
        }
        return new PlannedBundle(replacement, services);
    }

    private PlannedService planService(Replacement replacement, ManagedService running,
            List<ComponentDescriptors.Component> components, UpdateOptionsDTO options, List<String> refusals) {
        List<ComponentDescriptors.Component> matches = components.stream()
                .filter(component -> running.identity().equals(component.identity())).toList();
        if (matches.size() > 1) {
            refusals.add(replacement.describeNext() + " declares " + matches.size() + " components for the managed service "
                    + running.identity() + ": the match is ambiguous");
            return new PlannedService(running, null, null, null, false);
        }
        if (matches.isEmpty()) {
            if (registersOnlyThroughDs(replacement.installed())) {
                refusals.add(replacement.describeNext() + " declares no component for the managed service " + running.identity()
                        + ", and has no bundle activator or Blueprint that could register it");
                return new PlannedService(running, null, null, null, false);
            }
            return planAtActivation(replacement, running, options, refusals);
        }
        ComponentDescriptors.Component component = matches.get(0);
        if (!new HashSet<>(component.services()).equals(new HashSet<>(running.interfaces()))) {
            refusals.add("the managed service " + running.identity() + " of " + replacement.describeNext() + " is provided as "
                    + component.services() + " where the running version provides " + running.interfaces()
                    + ": its proxy cannot change interfaces");
            return new PlannedService(running, component.name(), null, null, false);
        }
        Class<?> nextClass;
        try {
            nextClass = replacement.installed().loadClass(component.implementation());
        } catch (ClassNotFoundException | LinkageError e) {
            refusals.add(replacement.describeNext() + " cannot load " + component.implementation() + ": " + e);
            return new PlannedService(running, component.name(), null, null, false);
        }
        return new PlannedService(running, component.name(), nextClass, planState(replacement, running, nextClass, options,
                refusals), false);
    }

    /**
     * A service that the next version registers some other way than DS: planned from its class of the
     * running implementation's name, if it has one (a refusal found now is found before anything
     * starts), and planned again at activation from the instance that registers.
     */
    private PlannedService planAtActivation(Replacement replacement, ManagedService running, UpdateOptionsDTO options,
            List<String> refusals) {
        Class<?> nextClass;
        try {
            nextClass = replacement.installed().loadClass(running.implementation().getClass().getName());
        } catch (ClassNotFoundException | LinkageError e) {
            return new PlannedService(running, null, null, null, true);
        }
        return new PlannedService(running, null, nextClass, planState(replacement, running, nextClass, options, refusals), true);
    }

    /** The state plan of {@code running} into {@code nextClass}; its refusals go to {@code refusals}. */
    public StatePlan planState(Replacement replacement, ManagedService running, Class<?> nextClass, UpdateOptionsDTO options,
            List<String> refusals) {
        Optional<String> incompatible = container.incompatibility(running, nextClass);
        if (incompatible.isPresent()) {
            refusals.add("the managed service " + running.identity() + ": " + incompatible.get()
                    + PackageConsumers.whoWouldRestart(running, replacement));
            return null;
        }
        StatePlan state = container.planState(running, nextClass, replacement.selected().source().version());
        state.refusal().ifPresent(reason -> refusals.add("the managed service " + running.identity() + ": " + reason));
        List<String> carried = state.entries().stream().filter(entry -> entry.action() != StateEntryPlan.Action.WIRING
                && entry.action() != StateEntryPlan.Action.RESET).map(StateEntryPlan::name).toList();
        if (UpdateOptionsDTO.COEXIST.equals(options.strategy) && !carried.isEmpty()) {
            refusals.add("the coexist strategy is for stateless services, and " + running.identity() + " has state "
                    + carried + ": use the drain strategy");
        }
        return state;
    }

    /**
     * Whether a bundle can register services only through DS: it has component descriptors, no
     * activator, and no Blueprint container (the extender's default folder, or a Bundle-Blueprint header).
     */
    private static boolean registersOnlyThroughDs(Bundle bundle) {
        Dictionary<String, String> headers = bundle.getHeaders("");
        return headers.get("Service-Component") != null && headers.get(Constants.BUNDLE_ACTIVATOR) == null
                && headers.get("Bundle-Blueprint") == null && bundle.findEntries("OSGI-INF/blueprint", "*.xml", false) == null;
    }

    static String describe(Bundle bundle) {
        return bundle.getSymbolicName() + " " + bundle.getVersion();
    }
}
