package org.graft.update.command;

import java.util.List;
import java.util.Optional;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.graft.update.dto.BundlePlanDTO;
import org.graft.update.dto.UpdateOptionsDTO;
import org.graft.update.dto.UpdateReportDTO;

@Service
@Command(scope = "dsu", name = "rollback", description = "Rolls a managed bundle back to the version it had before its last update, with its state.")
public class RollbackCommand extends ChangingAction {
    @Argument(index = 0, name = "bundle", required = true, description = "The running bundle: symbolic name or id")
    @Completion(ManagedBundleCompleter.class)
    String bundle;

    /** From the history: the version the last successful update to {@code version} of this bundle came from. */
    private Optional<String> previousVersion(String version) {
        List<UpdateReportDTO> history = updateManager.history();
        for (int i = history.size() - 1; i >= 0; i--) {
            UpdateReportDTO report = history.get(i);
            if (!UpdateReportDTO.SUCCEEDED.equals(report.outcome) || report.plan == null) {
                continue;
            }
            for (BundlePlanDTO planned : report.plan.bundles) {
                if (version.equals(planned.toVersion) && (bundle.equals(planned.symbolicName) || bundle.equals(String.valueOf(planned.toBundleId)))) {
                    return Optional.of(planned.fromVersion);
                }
            }
        }
        return Optional.empty();
    }

    @Override
    public Object execute() throws Exception {
        UpdateOptionsDTO options = options();
        options.expectedVersion = servingVersion(bundle);
        if (options.expectedVersion != null) {
            System.out.println("Rolling back " + bundle + " " + options.expectedVersion + " to the version it had before its last update"
                    + previousVersion(options.expectedVersion).map(v -> ", " + v).orElse(""));
        }
        runWithProgress(UpdateReportDTO.ROLLBACK, progress -> updateManager.rollback(bundle, options, progress));
        return null;
    }
}
