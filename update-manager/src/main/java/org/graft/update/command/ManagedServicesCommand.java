package org.graft.update.command;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.graft.update.dto.ManagedServiceDTO;
import org.graft.update.dto.UpdateReportDTO;
import org.graft.update.text.ReportFormat;

@Service
@Command(scope = "dsu", name = "list", description = "Lists the managed services, by name: provider bundle, version, how the proxy"
        + " reaches it (direct, or counted), counted calls in flight and served by the version serving now, and when the last"
        + " update changed it.")
public class ManagedServicesCommand extends DsuAction {
    @Option(name = "--no-format", description = "Plain output, for scripts")
    boolean noFormat;

    @Override
    public Object execute() {
        ShellTable table = new ShellTable();
        table.column("Service");
        table.column("Bundle");
        table.column("Id").alignRight();
        table.column("Version");
        table.column("Link");
        // counted calls only: a directly linked proxy counts none while no update holds it
        table.column("In flight").alignRight();
        // calls the version serving now has served through the proxy's counted path: each version counts its own
        table.column("Calls served").alignRight();
        table.column("Last update");
        Map<Long, UpdateReportDTO> reports = new HashMap<>();
        for (UpdateReportDTO report : updateManager.history()) {
            reports.put(report.id, report);
        }
        List<ManagedServiceDTO> services = new ArrayList<>(updateManager.managedServices());
        services.sort(Comparator.comparing(service -> service.identity));
        for (ManagedServiceDTO service : services) {
            boolean counted = !"direct".equals(service.link);
            table.addRow().addContent(service.identity, service.bundle, service.bundleId, service.version, service.link,
                    counted ? service.callsInFlight : "-", counted ? service.callsServed : "-",
                    lastUpdate(reports.get(service.lastUpdateId)));
        }
        table.print(System.out, !noFormat);
        return null;
    }

    /** When the last update that changed the service finished, and its id (for dsu:history id). */
    private static String lastUpdate(UpdateReportDTO report) {
        return report == null ? "" : ReportFormat.time(report.finishedAt) + " (update " + report.id + ")";
    }
}
