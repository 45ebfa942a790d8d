package org.graft.update.internal.transaction;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import org.graft.container.ManagedService;
import org.graft.container.ServiceContainer;
import org.graft.container.StagedService;
import org.graft.container.Switchover;
import org.graft.update.dto.UpdateOptionsDTO;
import org.graft.update.internal.OptionalPackages;
import org.graft.update.internal.planning.PlannedBundle;
import org.graft.update.internal.planning.PlannedService;
import org.graft.update.internal.planning.Refusal;
import org.graft.update.internal.planning.UpdatePlan;
import org.graft.update.internal.planning.UpdatePlanner;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;

/**
 * The start and activate steps: the next versions started, their staged services' instances got, a
 * switchover prepared. Closed after them: it stops listening to what extenders report.
 */
final class Activation implements AutoCloseable {
    /** The next instances, by planned service, and the switchover that will point the proxies at them. */
    record Activated(Switchover switchover, Map<PlannedService, Object> nextInstances) {
    }

    private final BundleContext context;
    private final ServiceContainer container;
    private final UpdatePlanner planner;
    private final UpdatePlan plan;
    private final UpdateOptionsDTO options;
    private final long serviceTimeoutMillis;
    private ActivationWatch blueprint = ActivationWatch.NONE;

    Activation(BundleContext context, ServiceContainer container, UpdatePlanner planner, UpdatePlan plan,
            UpdateOptionsDTO options) {
        this.context = context;
        this.container = container;
        this.planner = planner;
        this.plan = plan;
        this.options = options;
        this.serviceTimeoutMillis = options.serviceTimeoutMillis;
    }

    Void start() throws StepFailure {
        if (OptionalPackages.present(OptionalPackages.BLUEPRINT_LISTENER)) {
            blueprint = BlueprintDiagnostics.watch(context,
                    plan.bundles().stream().map(bundle -> bundle.replacement().installed()).toList());
        }
        for (PlannedBundle bundle : plan.bundles()) {
            try {
                bundle.replacement().installed().start();
            } catch (BundleException e) {
                throw StepFailure.failed(bundle.replacement().describeNext() + " did not start: " + e.getMessage(), e);
            }
        }
        return null;
    }

    /**
     * Gets each next instance; a service registered other than through DS is found by identity or
     * interfaces ({@link ServiceContainer#awaitSuccessor}) and planned again from its instance's class.
     *
     * @throws Refusal if that plan refuses the update (nothing consumers see has changed)
     */
    Activated activate() throws StepFailure, Refusal, InterruptedException {
        Map<ManagedService, StagedService> pairs = new LinkedHashMap<>();
        Map<PlannedService, Object> instances = new LinkedHashMap<>();
        List<String> refusals = new ArrayList<>();
        for (PlannedBundle bundle : plan.bundles()) {
            List<PlannedService> declared = bundle.services().stream().filter(service -> !service.atActivation()).toList();
            Map<String, StagedService> staged;
            try {
                staged = new LinkedHashMap<>(container.awaitStaged(bundle.replacement().installed(),
                        declared.stream().map(PlannedService::identity).toList(), serviceTimeoutMillis));
                for (PlannedService service : bundle.services()) {
                    if (service.atActivation()) {
                        staged.put(service.identity(), container.awaitSuccessor(bundle.replacement().installed(),
                                service.running(), serviceTimeoutMillis));
                    }
                }
            } catch (TimeoutException e) {
                throw StepFailure.failed(e.getMessage() + diagnose(bundle, declared), e);
            }
            for (PlannedService service : bundle.services()) {
                StagedService next = staged.get(service.identity());
                Object instance;
                try {
                    instance = next.implementation();
                } catch (IllegalStateException e) {
                    throw StepFailure.failed(e.getMessage() + diagnose(bundle, List.of(service)), e);
                }
                PlannedService planned = service;
                if (service.atActivation() && (service.state() == null || instance.getClass() != service.nextClass())) {
                    planned = service.replanned(instance.getClass(), planner.planState(bundle.replacement(), service.running(),
                            instance.getClass(), options, refusals));
                }
                instances.put(planned, instance);
                pairs.put(service.running(), next);
            }
        }
        if (!refusals.isEmpty()) {
            throw new Refusal(refusals);
        }
        try {
            return new Activated(container.switchover(pairs), instances);
        } catch (IllegalArgumentException e) {
            throw StepFailure.failed(e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        blueprint.close();
    }

    /** SCR's or the Blueprint extender's own account of why services did not serve, where they run; else nothing. */
    private String diagnose(PlannedBundle bundle, List<PlannedService> services) {
        List<String> reasons = new ArrayList<>();
        if (OptionalPackages.present(OptionalPackages.SCR_RUNTIME)) {
            for (PlannedService service : services) {
                if (service.componentName() == null) {
                    continue;
                }
                String reason = ComponentDiagnostics.explain(context, bundle.replacement().installed(), service.componentName());
                if (reason != null) {
                    reasons.add(service.componentName() + ": " + reason);
                }
            }
        }
        String blueprintReason = blueprint.explain(bundle.replacement().installed());
        if (blueprintReason != null) {
            reasons.add(blueprintReason);
        }
        return reasons.isEmpty() ? "" : ": " + String.join("; ", reasons);
    }
}
