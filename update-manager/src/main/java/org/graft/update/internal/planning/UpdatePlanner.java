package org.graft.update.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.graft.container.ManagedService;
import org.graft.container.ServiceContainer;
import org.graft.container.StateEntryPlan;
import org.graft.container.StatePlan;
import org.graft.update.dto.BundlePlanDTO;
import org.graft.update.dto.BundleUpdateDTO;
import org.graft.update.dto.ServicePlanDTO;
import org.graft.update.dto.StateEntryDTO;
import org.graft.update.dto.UpdateOptionsDTO;
import org.graft.update.dto.UpdatePlanDTO;
import org.graft.update.dto.UpdateRequestDTO;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.wiring.FrameworkWiring;

/**
 * The first half of an update, before anything runs: which bundles, which jars, installing the new
 * versions beside the old ones (not started), and matching services and state. Every refusal names
 * the bundle, the service or the state entry.
 */
final class UpdatePlanner {
    private final BundleContext context;
    private final ServiceContainer container;
    private final FrameworkWiring wiring;

    UpdatePlanner(BundleContext context, ServiceContainer container, FrameworkWiring wiring) {
        this.context = context;
        this.container = container;
        this.wiring = wiring;
    }

    /** Finds each running bundle and reads its new version's jar. */
    List<BundleReplacement> select(UpdateRequestDTO request, UpdatePlanDTO plan) throws StepFailure {
        if (request == null || request.bundles == null || request.bundles.isEmpty()) {
            throw StepFailure.refused("resolve", "the update names no bundle");
        }
        String strategy = request.options == null ? UpdateOptionsDTO.DRAIN : request.options.strategy;
        if (!UpdateOptionsDTO.DRAIN.equals(strategy) && !UpdateOptionsDTO.COEXIST.equals(strategy)) {
            throw StepFailure.refused("resolve", "unknown strategy '" + strategy + "': use " + UpdateOptionsDTO.DRAIN
                    + " or " + UpdateOptionsDTO.COEXIST);
        }
        List<BundleReplacement> replacements = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        for (BundleUpdateDTO entry : request.bundles) {
            Bundle old = find(entry.bundle);
            if (!seen.add(old.getBundleId())) {
                throw StepFailure.refused("resolve", "bundle " + describe(old) + " is named twice in one update");
            }
            BundleSource source;
            try {
                source = BundleSource.read(entry.location);
            } catch (IllegalArgumentException e) {
                throw new StepFailure("resolve", e.getMessage(), e, true);
            }
            if (!source.symbolicName.equals(old.getSymbolicName())) {
                throw StepFailure.refused("resolve", "the jar at " + entry.location + " is bundle " + source.symbolicName
                        + " " + source.version + ", not a version of " + old.getSymbolicName());
            }
            if (source.version.equals(old.getVersion())) {
                throw StepFailure.refused("resolve", describe(old) + " is already running: the jar at " + entry.location
                        + " has the same version");
            }
            BundlePlanDTO bundlePlan = new BundlePlanDTO();
            bundlePlan.symbolicName = old.getSymbolicName();
            bundlePlan.fromVersion = old.getVersion().toString();
            bundlePlan.toVersion = source.version.toString();
            bundlePlan.fromBundleId = old.getBundleId();
            bundlePlan.location = entry.location;
            plan.bundles.add(bundlePlan);
            replacements.add(new BundleReplacement(old, source, bundlePlan));
        }
        return replacements;
    }

    private Bundle find(String selector) throws StepFailure {
        Bundle bundle;
        try {
            bundle = BundleSelector.single(context, selector);
        } catch (IllegalArgumentException e) {
            throw StepFailure.refused("resolve", e.getMessage() + "; managed bundles: " + managedBundleNames());
        }
        if (!container.isManaged(bundle)) {
            throw StepFailure.refused("resolve", "bundle " + describe(bundle) + " is not managed by Graft (no Graft-Managed"
                    + " header and not configured): it cannot be updated dynamically; use bundle:update");
        }
        return bundle;
    }

    private Set<String> managedBundleNames() {
        Set<String> names = new TreeSet<>();
        for (ManagedService service : container.managedServices()) {
            names.add(service.provider().getSymbolicName());
        }
        return names;
    }

    /** Installs each new version beside its old one; staged, not started. */
    void install(List<BundleReplacement> replacements, long updateId) throws BundleException {
        for (BundleReplacement replacement : replacements) {
            String location = replacement.source.location;
            if (context.getBundle(location) != null) {
                // The framework would hand back the installed bundle of that location instead of a new one.
                location = location + "#graft-update-" + updateId;
            }
            replacement.newBundle = context.installBundle(location, replacement.source.stream());
            replacement.plan.toBundleId = replacement.newBundle.getBundleId();
            container.beginStaging(replacement.newBundle);
        }
    }

    /** Matches services and plans state; throws a refusal listing every reason. */
    void plan(List<BundleReplacement> replacements, UpdatePlanDTO plan) throws StepFailure {
        List<Bundle> newBundles = new ArrayList<>();
        for (BundleReplacement replacement : replacements) {
            newBundles.add(replacement.newBundle);
        }
        if (!wiring.resolveBundles(newBundles)) {
            List<String> reasons = new ArrayList<>();
            for (BundleReplacement replacement : replacements) {
                if ((replacement.newBundle.getState() & Bundle.INSTALLED) != 0) {
                    reasons.add(replacement.describeNew() + " does not resolve: "
                            + ResolutionDiagnostics.unresolvedRequirements(replacement.newBundle, wiring));
                }
            }
            throw StepFailure.refused("plan", String.join("; ", reasons));
        }
        for (BundleReplacement replacement : replacements) {
            planBundle(replacement, plan);
        }
        if (!plan.refusals.isEmpty()) {
            throw StepFailure.refused("plan", String.join("; ", plan.refusals));
        }
    }

    private void planBundle(BundleReplacement replacement, UpdatePlanDTO plan) {
        List<ComponentDescriptors.Component> components;
        try {
            components = ComponentDescriptors.of(replacement.newBundle);
        } catch (IllegalArgumentException e) {
            plan.refusals.add(e.getMessage());
            return;
        }
        List<ManagedService> olds = new ArrayList<>();
        for (ManagedService service : container.managedServices()) {
            if (service.provider().getBundleId() == replacement.oldBundle.getBundleId()) {
                olds.add(service);
            }
        }
        if (olds.isEmpty()) {
            plan.refusals.add(replacement.describeOld() + " has no managed service serving: nothing to update dynamically");
        }
        for (ManagedService old : olds) {
            planService(replacement, old, components, plan);
        }
    }

    private void planService(BundleReplacement replacement, ManagedService old, List<ComponentDescriptors.Component> components,
            UpdatePlanDTO plan) {
        ServicePlanDTO servicePlan = new ServicePlanDTO();
        servicePlan.identity = old.identity();
        servicePlan.bundle = replacement.oldBundle.getSymbolicName();
        servicePlan.fromVersion = replacement.oldBundle.getVersion().toString();
        servicePlan.toVersion = replacement.source.version.toString();
        servicePlan.interfaces.addAll(old.interfaces());
        plan.services.add(servicePlan);

        List<ComponentDescriptors.Component> matches = new ArrayList<>();
        for (ComponentDescriptors.Component component : components) {
            if (old.identity().equals(component.identity)) {
                matches.add(component);
            }
        }
        if (matches.size() != 1) {
            plan.refusals.add(matches.isEmpty()
                    ? replacement.describeNew() + " declares no component for the managed service " + old.identity()
                    : replacement.describeNew() + " declares " + matches.size() + " components for the managed service "
                            + old.identity() + ": the match is ambiguous");
            return;
        }
        ComponentDescriptors.Component component = matches.get(0);
        if (!new HashSet<>(component.services).equals(new HashSet<>(old.interfaces()))) {
            plan.refusals.add("the managed service " + old.identity() + " of " + replacement.describeNew() + " is provided as "
                    + component.services + " where the running version provides " + old.interfaces()
                    + ": its proxy cannot change interfaces");
            return;
        }
        String interfaceProblem = sharedInterfaces(replacement, old);
        if (interfaceProblem != null) {
            plan.refusals.add(interfaceProblem);
            return;
        }
        Class<?> newClass;
        try {
            newClass = replacement.newBundle.loadClass(component.implementation);
        } catch (ClassNotFoundException | LinkageError e) {
            plan.refusals.add(replacement.describeNew() + " cannot load " + component.implementation + ": " + e);
            return;
        }
        StatePlan state = container.planState(old.implementation().getClass(), replacement.oldBundle.getVersion(), newClass,
                replacement.source.version);
        servicePlan.transformer = state.transformer().orElse(null);
        for (StateEntryPlan entry : state.entries()) {
            StateEntryDTO dto = new StateEntryDTO();
            dto.name = entry.name();
            dto.action = entry.action().name();
            dto.fromType = entry.fromType();
            dto.toType = entry.toType();
            dto.reason = entry.reason();
            servicePlan.state.add(dto);
        }
        state.refusal().ifPresent(reason -> plan.refusals.add("the managed service " + old.identity() + ": " + reason));
        if (UpdateOptionsDTO.COEXIST.equals(plan.strategy) && !state.entries().isEmpty()) {
            plan.refusals.add("the coexist strategy is for stateless services, and " + old.identity() + " has state "
                    + stateNames(state) + ": use the drain strategy");
        }
        replacement.services.add(new BundleReplacement.Service(old, servicePlan, component.name, state));
    }

    /** Checks that consumers' interface classes are the very ones the new version implements. */
    private static String sharedInterfaces(BundleReplacement replacement, ManagedService old) {
        for (String name : old.interfaces()) {
            try {
                Class<?> running = replacement.oldBundle.loadClass(name);
                Class<?> next = replacement.newBundle.loadClass(name);
                if (running != next) {
                    return "the managed service " + old.identity() + ": " + replacement.describeNew() + " sees another " + name
                            + " than the running version: service interfaces must come from a bundle the update does not replace";
                }
            } catch (ClassNotFoundException e) {
                return "the managed service " + old.identity() + ": " + name + " is not visible to " + replacement.describeNew();
            }
        }
        return null;
    }

    private static List<String> stateNames(StatePlan state) {
        List<String> names = new ArrayList<>();
        for (StateEntryPlan entry : state.entries()) {
            names.add(entry.name());
        }
        return names;
    }

    static String describe(Bundle bundle) {
        return bundle.getSymbolicName() + " " + bundle.getVersion();
    }
}
