package org.graft.update.internal;

import java.util.ArrayList;
import java.util.List;

import org.graft.container.ManagedService;
import org.graft.container.StagedService;
import org.graft.container.StatePlan;
import org.graft.update.dto.BundlePlanDTO;
import org.graft.update.dto.ServicePlanDTO;
import org.osgi.framework.Bundle;

/** One bundle of an update, and its services, as the transaction learns about them. */
final class BundleReplacement {
    final Bundle oldBundle;
    final BundleSource source;
    final BundlePlanDTO plan;
    Bundle newBundle;
    final List<Service> services = new ArrayList<>();

    BundleReplacement(Bundle oldBundle, BundleSource source, BundlePlanDTO plan) {
        this.oldBundle = oldBundle;
        this.source = source;
        this.plan = plan;
    }

    String describeOld() {
        return oldBundle.getSymbolicName() + " " + oldBundle.getVersion();
    }

    String describeNew() {
        return source.symbolicName + " " + source.version;
    }

    /** One managed service of the bundle and its successor. */
    static final class Service {
        final ManagedService old;
        final ServicePlanDTO plan;
        final String componentName;
        final StatePlan state;
        StagedService staged;
        Object newImplementation;

        Service(ManagedService old, ServicePlanDTO plan, String componentName, StatePlan state) {
            this.old = old;
            this.plan = plan;
            this.componentName = componentName;
            this.state = state;
        }
    }
}
