package org.graft.update.internal.jmx;

import java.util.List;
import java.util.Map;

import javax.management.MBeanOperationInfo;
import javax.management.MBeanParameterInfo;
import javax.management.NotCompliantMBeanException;
import javax.management.StandardMBean;
import javax.management.openmbean.CompositeDataSupport;
import javax.management.openmbean.CompositeType;
import javax.management.openmbean.OpenDataException;
import javax.management.openmbean.OpenType;
import javax.management.openmbean.SimpleType;
import javax.management.openmbean.TabularData;
import javax.management.openmbean.TabularDataSupport;
import javax.management.openmbean.TabularType;

import org.graft.update.UpdateManager;
import org.graft.update.dto.BundleUpdateDTO;
import org.graft.update.dto.ManagedServiceDTO;
import org.graft.update.dto.UpdateOptionsDTO;
import org.graft.update.dto.UpdateReportDTO;
import org.graft.update.dto.UpdateRequestDTO;
import org.graft.update.management.UpdateManagerMBean;
import org.graft.update.text.ReportFormat;
import org.graft.update.text.Requester;

/**
 * The MBean over the update manager: a client of its service interface, like the shell commands,
 * printing the same text.
 */
public final class UpdateManagerMBeanImpl extends StandardMBean implements UpdateManagerMBean {
    private static final Table SERVICES = new Table("ManagedServices", "Service",
            new String[] {"Service", "Bundle", "BundleId", "Version", "CallsInFlight", "CallsServed", "LastUpdateId"},
            new OpenType<?>[] {SimpleType.STRING, SimpleType.STRING, SimpleType.LONG, SimpleType.STRING, SimpleType.LONG,
                SimpleType.LONG, SimpleType.LONG});
    private static final Table HISTORY = new Table("History", "Id",
            new String[] {"Id", "Kind", "Outcome", "Change", "StartedAt", "FinishedAt", "HeldMicros", "TotalMicros", "Channel",
                "User", "Message"},
            new OpenType<?>[] {SimpleType.LONG, SimpleType.STRING, SimpleType.STRING, SimpleType.STRING, SimpleType.LONG,
                SimpleType.LONG, SimpleType.LONG, SimpleType.LONG, SimpleType.STRING, SimpleType.STRING, SimpleType.STRING});
    /** JMX knows parameters by position only; clients show these names instead of p1, p2. */
    private static final Map<String, List<String>> PARAMETERS = Map.of(
            "report", List.of("id"),
            "plan", List.of("bundle", "url"),
            "update", List.of("bundle", "url", "strategy", "drainTimeoutMillis", "transferTimeoutMillis"),
            "updateFeature", List.of("feature"),
            "rollback", List.of("bundle"));

    private final UpdateManager updateManager;

    public UpdateManagerMBeanImpl(UpdateManager updateManager) throws NotCompliantMBeanException {
        super(UpdateManagerMBean.class);
        this.updateManager = updateManager;
    }

    /** The object name under Karaf's domain, named like Karaf's own MBeans: by the instance's name. */
    public static String objectName(String karafName) {
        return "org.apache.karaf:type=" + TYPE + ",name=" + karafName;
    }

    @Override
    public TabularData getManagedServices() {
        TabularDataSupport table = new TabularDataSupport(SERVICES.type());
        for (ManagedServiceDTO service : updateManager.managedServices()) {
            table.put(SERVICES.row(service.identity, service.bundle, service.bundleId, service.version, service.callsInFlight,
                    service.callsServed, service.lastUpdateId));
        }
        return table;
    }

    @Override
    public TabularData getHistory() {
        TabularDataSupport table = new TabularDataSupport(HISTORY.type());
        for (UpdateReportDTO report : updateManager.history()) {
            UpdateOptionsDTO options = report.options == null ? new UpdateOptionsDTO() : report.options;
            table.put(HISTORY.row(report.id, report.kind, report.outcome, ReportFormat.change(report.plan), report.startedAt,
                    report.finishedAt, report.timings.heldMicros, report.timings.totalMicros, options.channel, options.user,
                    report.message));
        }
        return table;
    }

    @Override
    public String getStatus() {
        UpdateReportDTO report = updateManager.status();
        return report == null ? "" : String.join("\n", ReportFormat.report(report));
    }

    @Override
    public String report(long id) {
        return updateManager.history().stream().filter(kept -> kept.id == id).findFirst()
                .map(report -> String.join("\n", ReportFormat.report(report)))
                .orElseThrow(() -> new IllegalArgumentException("no update " + id + " in the history (the History attribute"
                        + " lists the ids it keeps)"));
    }

    @Override
    public String plan(String bundle, String url) {
        return String.join("\n", ReportFormat.plan(updateManager.plan(request(bundle, url, options()))));
    }

    @Override
    public String update(String bundle, String url) {
        return update(bundle, url, null, 0L, 0L);
    }

    @Override
    public String update(String bundle, String url, String strategy, long drainTimeoutMillis, long transferTimeoutMillis) {
        UpdateOptionsDTO options = options();
        if (strategy != null && !strategy.isEmpty()) {
            options.strategy = strategy;
        }
        if (drainTimeoutMillis != 0L) {
            options.quiescenceTimeoutMillis = drainTimeoutMillis;
        }
        if (transferTimeoutMillis != 0L) {
            options.transferTimeoutMillis = transferTimeoutMillis;
        }
        return succeeded(updateManager.update(request(bundle, url, options)));
    }

    @Override
    public String updateFeature(String feature) {
        UpdateRequestDTO request = new UpdateRequestDTO();
        request.feature = feature;
        request.options = options();
        return succeeded(updateManager.update(request));
    }

    @Override
    public String rollback(String bundle) {
        return succeeded(updateManager.rollback(bundle, options()));
    }

    @Override
    protected String getParameterName(MBeanOperationInfo operation, MBeanParameterInfo parameter, int sequence) {
        List<String> names = PARAMETERS.get(operation.getName());
        return names != null && sequence < names.size() ? names.get(sequence) : super.getParameterName(operation, parameter, sequence);
    }

    private static UpdateRequestDTO request(String bundle, String url, UpdateOptionsDTO options) {
        UpdateRequestDTO request = new UpdateRequestDTO();
        // as in the shell, no url means the bundle's own location, read again
        request.bundles.add(BundleUpdateDTO.of(bundle, url == null || url.isEmpty() ? null : url));
        request.options = options;
        return request;
    }

    private static UpdateOptionsDTO options() {
        UpdateOptionsDTO options = new UpdateOptionsDTO();
        options.channel = UpdateOptionsDTO.CHANNEL_JMX;
        options.user = Requester.user();
        return options;
    }

    /**
     * The report in full; if it did not succeed, thrown as the message of an IllegalStateException (or its
     * one line as an IllegalArgumentException, for a request rejected as invalid).
     */
    private static String succeeded(UpdateReportDTO report) {
        String text = String.join("\n", ReportFormat.report(report));
        if (report.id == 0) {
            // rejected before it became an update: the input was invalid, nothing is in the history
            throw new IllegalArgumentException(ReportFormat.outcome(report));
        }
        if (!UpdateReportDTO.SUCCEEDED.equals(report.outcome)) {
            throw new IllegalStateException(text);
        }
        return text;
    }

    /** An open-type table: its type, and its item names in order (a CompositeType keeps them sorted). */
    private record Table(TabularType type, String[] items) {
        Table(String name, String index, String[] items, OpenType<?>[] types) {
            this(tabular(name, index, items, types), items);
        }

        private static TabularType tabular(String name, String index, String[] items, OpenType<?>[] types) {
            try {
                CompositeType row = new CompositeType(name + "Row", name + ", one row", items, items, types);
                return new TabularType(name, name, row, new String[] {index});
            } catch (OpenDataException e) {
                throw new IllegalStateException("the open types of Graft's MBean are inconsistent: " + e.getMessage(), e);
            }
        }

        /** One row, its values in the order of the items. */
        CompositeDataSupport row(Object... values) {
            try {
                return new CompositeDataSupport(type.getRowType(), items, values);
            } catch (OpenDataException e) {
                throw new IllegalStateException("a row does not fit Graft's MBean's open type " + type.getTypeName() + ": "
                        + e.getMessage(), e);
            }
        }
    }
}
