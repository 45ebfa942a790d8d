package org.graft.cluster.internal.graft;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.graft.cluster.internal.rollout.LocalUpdates;
import org.graft.update.UpdateManager;
import org.graft.update.dto.BundlePlanDTO;
import org.graft.update.dto.BundleUpdateDTO;
import org.graft.update.dto.ManagedServiceDTO;
import org.graft.update.dto.UpdateOptionsDTO;
import org.graft.update.dto.UpdateReportDTO;
import org.graft.update.dto.UpdateRequestDTO;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/**
 * A node's part of a rollout done by this node's Graft: its update and rollback, with the version each
 * must find serving, so that a node that runs another version than the rollout expects refuses with
 * nothing changed.
 */
public final class GraftUpdates implements LocalUpdates {
    /** The channel Graft's reports name for updates a rollout made. */
    static final String CHANNEL = "cluster";

    private final UpdateManager updateManager;
    private final BundleContext context;
    private final String requester;

    /**
     * @param requester who the reports name as asking: the rollout, so that a node's history says which
     *        rollout changed it
     */
    public GraftUpdates(UpdateManager updateManager, BundleContext context, String requester) {
        this.updateManager = updateManager;
        this.context = context;
        this.requester = requester;
    }

    @Override
    public Optional<String> servingVersion(String bundle) {
        return servingServices(bundle).stream().map(s -> s.version).findFirst();
    }

    @Override
    public Optional<String> servingLocation(String bundle) {
        for (ManagedServiceDTO service : servingServices(bundle)) {
            Bundle serving = context.getBundle(service.bundleId);
            if (serving != null) {
                return Optional.of(serving.getLocation());
            }
        }
        return Optional.empty();
    }

    @Override
    public Optional<String> rollbackVersion(String bundle) {
        Optional<String> serving = servingVersion(bundle);
        if (serving.isEmpty()) {
            return Optional.empty();
        }
        List<UpdateReportDTO> history = updateManager.history();
        for (int i = history.size() - 1; i >= 0; i--) {
            UpdateReportDTO report = history.get(i);
            if (!UpdateReportDTO.SUCCEEDED.equals(report.outcome) || report.plan == null) {
                continue;
            }
            for (BundlePlanDTO planned : report.plan.bundles) {
                if (bundle.equals(planned.symbolicName) && serving.get().equals(planned.toVersion)) {
                    return Optional.ofNullable(planned.fromVersion);
                }
            }
        }
        return Optional.empty();
    }

    @Override
    public Outcome update(String bundle, String url, String expectedVersion) {
        UpdateRequestDTO request = new UpdateRequestDTO();
        request.bundles.add(BundleUpdateDTO.of(bundle, url));
        request.options = options(expectedVersion);
        return outcome(bundle, expectedVersion, updateManager.update(request));
    }

    @Override
    public Outcome rollback(String bundle, String expectedVersion) {
        return outcome(bundle, expectedVersion, updateManager.rollback(bundle, options(expectedVersion)));
    }

    @Override
    public Optional<String> unhealthy(String bundle, String version) {
        List<String> problems = new ArrayList<>();
        List<ManagedServiceDTO> services = servingServices(bundle);
        if (services.isEmpty()) {
            return Optional.of("no managed service of " + bundle + " serves on this node");
        }
        for (ManagedServiceDTO service : services) {
            if (version != null && !version.equals(service.version)) {
                problems.add(service.identity + " serves " + service.version + ", not " + version);
            }
        }
        return problems.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", problems));
    }

    private List<ManagedServiceDTO> servingServices(String bundle) {
        List<ManagedServiceDTO> serving = new ArrayList<>();
        for (ManagedServiceDTO service : updateManager.managedServices()) {
            if (bundle.equals(service.bundle) && service.version != null) {
                serving.add(service);
            }
        }
        return serving;
    }

    private UpdateOptionsDTO options(String expectedVersion) {
        UpdateOptionsDTO options = new UpdateOptionsDTO();
        options.channel = CHANNEL;
        options.user = requester;
        options.expectedVersion = expectedVersion;
        return options;
    }

    private Outcome outcome(String bundle, String expectedVersion, UpdateReportDTO report) {
        String now = servingVersion(bundle).orElse(null);
        boolean succeeded = UpdateReportDTO.SUCCEEDED.equals(report.outcome);
        String message = succeeded ? report.kind + " " + report.id + " succeeded" : report.outcome + " (report " + report.id
                + (report.failedStep == null ? "" : ", step " + report.failedStep) + "): " + report.message;
        return new Outcome(succeeded, expectedVersion, now, message, TimeUnit.MICROSECONDS.toMillis(report.timings.heldMicros));
    }
}
