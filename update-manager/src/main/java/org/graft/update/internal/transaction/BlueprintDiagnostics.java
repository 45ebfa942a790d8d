package org.graft.update.internal.transaction;

import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.blueprint.container.BlueprintEvent;
import org.osgi.service.blueprint.container.BlueprintListener;

/**
 * The Blueprint extender's last event for each bundle an update starts: a Blueprint bundle that
 * waits for a mandatory service (its grace period) or whose container failed registers nothing,
 * and this is the only place that says which service or why. Registered before the bundles start;
 * the extender also replays each bundle's last event to a listener that registers late, so none is
 * missed. Only loaded when the Blueprint container package is wired: its import is optional.
 */
final class BlueprintDiagnostics implements BlueprintListener, ActivationWatch {
    private final Set<Long> watched;
    private final Map<Long, BlueprintEvent> lastEvents = new ConcurrentHashMap<>();
    private final ServiceRegistration<BlueprintListener> registration;

    private BlueprintDiagnostics(BundleContext context, Collection<Bundle> bundles) {
        this.watched = bundles.stream().map(Bundle::getBundleId).collect(Collectors.toUnmodifiableSet());
        this.registration = context.registerService(BlueprintListener.class, this, null);
    }

    static ActivationWatch watch(BundleContext context, Collection<Bundle> bundles) {
        return new BlueprintDiagnostics(context, bundles);
    }

    @Override
    public void blueprintEvent(BlueprintEvent event) {
        long id = event.getBundle().getBundleId();
        if (watched.contains(id)) {
            lastEvents.put(id, event);
        }
    }

    @Override
    public String explain(Bundle bundle) {
        BlueprintEvent event = lastEvents.get(bundle.getBundleId());
        if (event == null) {
            return null;
        }
        String dependencies = event.getDependencies() == null || event.getDependencies().length == 0 ? ""
                : " for " + Arrays.toString(event.getDependencies());
        return switch (event.getType()) {
            case BlueprintEvent.GRACE_PERIOD -> "its Blueprint container waits" + dependencies;
            case BlueprintEvent.WAITING -> "its Blueprint container waits, in a call" + dependencies;
            case BlueprintEvent.FAILURE -> "its Blueprint container failed"
                    + (event.getCause() != null ? ": " + event.getCause() : "") + dependencies;
            case BlueprintEvent.CREATING -> "its Blueprint container is still being created";
            default -> null;
        };
    }

    @Override
    public void close() {
        try {
            registration.unregister();
        } catch (IllegalStateException alreadyGone) {
            // The update manager is stopping: the framework unregistered the listener with it.
        }
    }
}
