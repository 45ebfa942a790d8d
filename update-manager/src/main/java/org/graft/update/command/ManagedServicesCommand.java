package org.graft.update.command;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.graft.update.dto.ManagedServiceDTO;

@Service
@Command(scope = "dsu", name = "list", description = "Lists the managed services: provider, version, calls in flight and served, last update.")
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
        table.column("In flight").alignRight();
        table.column("Served").alignRight();
        table.column("Last update").alignRight();
        for (ManagedServiceDTO service : updateManager.managedServices()) {
            table.addRow().addContent(service.identity, service.bundle, service.bundleId, service.version, service.callsInFlight,
                    service.callsServed, service.lastUpdateId == 0L ? "" : service.lastUpdateId);
        }
        table.print(System.out, !noFormat);
        return null;
    }
}
