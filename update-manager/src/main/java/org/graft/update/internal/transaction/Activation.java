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
import org.graft.update.internal.OptionalPackages;
import org.graft.update.internal.planning.PlannedBundle;
import org.graft.update.internal.planning.PlannedService;
import org.graft.update.internal.planning.UpdatePlan;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;

/** The start and activate steps: the next versions started, their staged services' instances got, a switchover prepared. */
final class Activation {
    /** The next instances, by planned service, and the switchover that will point the proxies at them. */
    record Activated(Switchover switchover, Map<PlannedService, Object> nextInstances) {
    }

    private final BundleContext context;
    private final ServiceContainer container;
    private final UpdatePlan plan;
    private final long serviceTimeoutMillis;

    Activation(BundleContext context, ServiceContainer container, UpdatePlan plan, long serviceTimeoutMillis) {
        this.context = context;
        this.container = container;
        this.plan = plan;
        this.serviceTimeoutMillis = serviceTimeoutMillis;
    }

    Void start() throws StepFailure {
        for (PlannedBundle bundle : plan.bundles()) {
            try {
                bundle.replacement().installed().start();
            } catch (BundleException e) {
                throw StepFailure.failed(bundle.replacement().describeNext() + " did not start: " + e.getMessage(), e);
            }
        }
        return null;
    }

    Activated activate() throws StepFailure, InterruptedException {
        Map<ManagedService, StagedService> pairs = new LinkedHashMap<>();
        Map<PlannedService, Object> instances = new LinkedHashMap<>();
        for (PlannedBundle bundle : plan.bundles()) {
            List<String> identities = bundle.services().stream().map(PlannedService::identity).toList();
            Map<String, StagedService> staged;
            try {
                staged = container.awaitStaged(bundle.replacement().installed(), identities, serviceTimeoutMillis);
            } catch (TimeoutException e) {
                throw StepFailure.failed(e.getMessage() + diagnose(bundle, bundle.services()), e);
            }
            for (PlannedService service : bundle.services()) {
                StagedService next = staged.get(service.identity());
                try {
                    instances.put(service, next.implementation());
                } catch (IllegalStateException e) {
                    throw StepFailure.failed(e.getMessage() + diagnose(bundle, List.of(service)), e);
                }
                pairs.put(service.running(), next);
            }
        }
        try {
            return new Activated(container.switchover(pairs), instances);
        } catch (IllegalArgumentException e) {
            throw StepFailure.failed(e.getMessage(), e);
        }
    }

    /** SCR's own account of why components did not serve, where SCR runs; else nothing. */
    private String diagnose(PlannedBundle bundle, List<PlannedService> services) {
        if (!OptionalPackages.present(OptionalPackages.SCR_RUNTIME)) {
            return "";
        }
        List<String> reasons = new ArrayList<>();
        for (PlannedService service : services) {
            String reason = ComponentDiagnostics.explain(context, bundle.replacement().installed(), service.componentName());
            if (reason != null) {
                reasons.add(service.componentName() + ": " + reason);
            }
        }
        return reasons.isEmpty() ? "" : " (" + String.join("; ", reasons) + ")";
    }
}
