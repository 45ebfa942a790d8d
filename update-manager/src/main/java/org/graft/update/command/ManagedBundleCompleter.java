package org.graft.update.command;

import java.util.List;
import java.util.TreeSet;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.graft.update.UpdateManager;
import org.graft.update.dto.ManagedServiceDTO;

/** Completes the symbolic names of the bundles whose services are managed now. */
@Service
public class ManagedBundleCompleter implements Completer {
    @Reference
    UpdateManager updateManager;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        TreeSet<String> names = new TreeSet<>();
        for (ManagedServiceDTO service : updateManager.managedServices()) {
            if (service.bundle != null) {
                names.add(service.bundle);
            }
        }
        return new StringsCompleter(names).complete(session, commandLine, candidates);
    }
}
