package org.graft.update.command;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.graft.update.dto.UpdateReportDTO;

@Service
@Command(scope = "dsu", name = "rollback", description = "Rolls a managed bundle back to the version it had before its last update, with its state.")
public class RollbackCommand extends ChangingAction {
    @Argument(index = 0, name = "bundle", required = true, description = "The running bundle: symbolic name or id")
    @Completion(ManagedBundleCompleter.class)
    String bundle;

    @Override
    public Object execute() throws Exception {
        runWithProgress(UpdateReportDTO.ROLLBACK, progress -> updateManager.rollback(bundle, options(), progress));
        return null;
    }
}
