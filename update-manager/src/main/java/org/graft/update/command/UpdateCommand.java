package org.graft.update.command;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.graft.update.dto.BundleUpdateDTO;
import org.graft.update.dto.UpdateReportDTO;
import org.graft.update.dto.UpdateRequestDTO;
import org.graft.update.text.ReportFormat;

@Service
@Command(scope = "dsu", name = "update", description = "Replaces a running managed bundle by another version while its services keep serving.")
public class UpdateCommand extends ChangingAction {
    @Argument(index = 0, name = "bundle", required = false,
            description = "The running bundle: symbolic name or id (not needed with --feature)")
    @Completion(ManagedBundleCompleter.class)
    String bundle;

    @Argument(index = 1, name = "url", required = false,
            description = "Where the new version is (mvn:, file:, http:); by default the bundle's own location, read again")
    @Completion(BundleUrlCompleter.class)
    String url;

    @Option(name = "--feature", aliases = "-f",
            description = "A Karaf feature, name/version: its bundles that are other versions of managed bundles are updated"
                    + " as one update, then the features service installs the feature in place of its other versions")
    String feature;

    @Option(name = "--dry-run", aliases = "-n", description = "Print the plan (what is handed over, converted, transformed, refused) and change nothing")
    boolean dryRun;

    @Override
    public Object execute() throws Exception {
        if (bundle == null && feature == null) {
            throw new IllegalArgumentException("name the bundle to update, or a feature with --feature name/version");
        }
        UpdateRequestDTO request = new UpdateRequestDTO();
        if (bundle != null) {
            // Without a url, the update manager reads the bundle's own location again.
            request.bundles.add(BundleUpdateDTO.of(bundle, url));
        }
        request.feature = feature;
        request.options = options();
        request.options.expectedVersion = servingVersion(bundle);
        if (dryRun) {
            ReportFormat.plan(updateManager.plan(request)).forEach(System.out::println);
            return null;
        }
        runWithProgress(UpdateReportDTO.UPDATE, progress -> updateManager.update(request, progress));
        return null;
    }
}
