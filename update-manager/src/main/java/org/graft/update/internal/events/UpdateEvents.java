package org.graft.update.internal.events;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.graft.container.internal.log.Logs;
import org.graft.update.dto.BundlePlanDTO;
import org.graft.update.dto.StepDTO;
import org.graft.update.dto.UpdateOptionsDTO;
import org.graft.update.dto.UpdateReportDTO;
import org.graft.update.internal.transaction.UpdateObserver;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.event.EventConstants;

/**
 * Every update and rollback as EventAdmin events, for monitoring (Karaf's {@code event:display}, an
 * EventAdmin collector): {@value #PREFIX}{@code STARTED}, one {@code STEP} per step as it ends,
 * then {@code SUCCEEDED} (an update), {@code ROLLED_BACK} (a rollback), {@code FAILED} or
 * {@code REFUSED}. Posted, never sent: EventAdmin delivers them on its own threads, and a step's event
 * comes after the release of held calls like its progress report, so monitoring never lengthens an
 * update or a hold.
 */
public final class UpdateEvents implements UpdateObserver {
    public static final String PREFIX = "org/graft/update/";
    private static final System.Logger LOG = Logs.get("org.graft.update.transaction");

    private final BundleContext context;

    public UpdateEvents(BundleContext context) {
        this.context = context;
    }

    @Override
    public void started(UpdateReportDTO report) {
        post("STARTED", properties(report));
    }

    @Override
    public void stepEnded(UpdateReportDTO report, StepDTO step) {
        Map<String, Object> properties = properties(report);
        properties.put("step", step.name);
        properties.put("step.status", step.status);
        properties.put("step.duration.micros", step.durationMicros);
        if (step.detail != null) {
            properties.put("step.detail", step.detail);
        }
        post("STEP", properties);
    }

    @Override
    public void finished(UpdateReportDTO report) {
        Map<String, Object> properties = properties(report);
        properties.put("message", report.message);
        properties.put("timings.held.micros", report.timings.heldMicros);
        properties.put("timings.total.micros", report.timings.totalMicros);
        if (report.failedStep != null) {
            properties.put("failed.step", report.failedStep);
        }
        post(topic(report), properties);
    }

    static String topic(UpdateReportDTO report) {
        if (UpdateReportDTO.SUCCEEDED.equals(report.outcome)) {
            return UpdateReportDTO.ROLLBACK.equals(report.kind) ? "ROLLED_BACK" : "SUCCEEDED";
        }
        return UpdateReportDTO.REFUSED.equals(report.outcome) ? "REFUSED" : "FAILED";
    }

    /** What every event of an update carries: which update, who asked through which channel, which bundles. */
    private static Map<String, Object> properties(UpdateReportDTO report) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("update.id", report.id);
        properties.put("update.kind", report.kind);
        UpdateOptionsDTO options = report.options;
        properties.put("channel", options == null || options.channel == null ? UpdateOptionsDTO.CHANNEL_API : options.channel);
        if (options != null && options.user != null) {
            properties.put("user", options.user);
        }
        if (report.outcome != null) {
            properties.put("outcome", report.outcome);
        }
        List<String> bundles = new ArrayList<>();
        if (report.plan != null) {
            for (BundlePlanDTO bundle : report.plan.bundles) {
                bundles.add(bundle.symbolicName + " " + bundle.fromVersion + " -> " + bundle.toVersion);
            }
            if (!report.plan.bundles.isEmpty()) {
                // the first bundle's names, for simple event filters such as (bundle.symbolicName=org.example.*)
                BundlePlanDTO first = report.plan.bundles.get(0);
                properties.put("bundle.symbolicName", first.symbolicName);
                properties.put("bundle.version.from", first.fromVersion);
                properties.put("bundle.version.to", first.toVersion);
            }
        }
        properties.put("bundles", bundles.toArray(new String[0]));
        properties.put(EventConstants.TIMESTAMP, System.currentTimeMillis());
        return properties;
    }

    /** A failure to post is logged, never the update's: the update does not depend on who watches it. */
    private void post(String topic, Map<String, Object> properties) {
        ServiceReference<EventAdmin> reference = context.getServiceReference(EventAdmin.class);
        EventAdmin admin = reference == null ? null : context.getService(reference);
        if (admin == null) {
            return;
        }
        try {
            admin.postEvent(new Event(PREFIX + topic, properties));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Graft could not post the event " + PREFIX + topic + " of update "
                    + properties.get("update.id") + ": " + e, e);
        } finally {
            context.ungetService(reference);
        }
    }
}
