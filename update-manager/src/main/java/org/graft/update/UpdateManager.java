package org.graft.update;

import java.util.List;

import org.graft.update.dto.ManagedServiceDTO;
import org.graft.update.dto.UpdateOptionsDTO;
import org.graft.update.dto.UpdatePlanDTO;
import org.graft.update.dto.UpdateReportDTO;
import org.graft.update.dto.UpdateRequestDTO;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Replaces running managed bundles by other versions while their services keep serving.
 *
 * <p>An update is one transaction over one or more bundles: the new versions are installed beside
 * the old ones, calls to the services are held until none runs on the old versions, their state is
 * carried over (handed over, converted or transformed), and every proxy switches at one instant.
 * Any failure before the switch removes the new versions and leaves the old ones serving, their
 * state untouched. Updates run one at a time.
 *
 * <pre>{@code
 * UpdateRequestDTO request = new UpdateRequestDTO();
 * request.bundles.add(BundleUpdateDTO.of("org.example.counter", "file:/tmp/counter-2.0.0.jar"));
 * UpdateReportDTO report = updateManager.update(request);
 * if (!UpdateReportDTO.SUCCEEDED.equals(report.outcome)) { log(report.message); }
 * }</pre>
 */
@ProviderType
public interface UpdateManager {
    /**
     * The plan of an update, without applying it (a dry run): what is matched, handed over, converted,
     * transformed, and what is refused and why. The new versions are installed beside the old ones to
     * read their classes, never started, and removed again; no other bundle sees them or their bundle
     * events. The plan's bundles name the ids so used ({@code toBundleId}).
     */
    UpdatePlanDTO plan(UpdateRequestDTO request);

    /** Applies an update and reports it; never throws for a failed update: see the report's outcome. */
    default UpdateReportDTO update(UpdateRequestDTO request) {
        return update(request, UpdateProgress.NONE);
    }

    /** As {@link #update(UpdateRequestDTO)}, telling {@code progress} of each step as it ends. */
    UpdateReportDTO update(UpdateRequestDTO request, UpdateProgress progress);

    /**
     * Rolls the bundle back to the version it had before its last successful update, with its state
     * carried down by the way-down transformer (or the default mapping where that loses nothing).
     * Refused, with nothing changed, if that update is no longer in the {@link #history()}.
     *
     * @param bundle a symbolic name or a bundle id
     */
    default UpdateReportDTO rollback(String bundle, UpdateOptionsDTO options) {
        return rollback(bundle, options, UpdateProgress.NONE);
    }

    /** As {@link #rollback(String, UpdateOptionsDTO)}, telling {@code progress} of each step as it ends. */
    UpdateReportDTO rollback(String bundle, UpdateOptionsDTO options, UpdateProgress progress);

    /**
     * The last updates and rollbacks, oldest first, including those of earlier runs of the framework:
     * as many as the configuration {@code history.max.reports} allows (100 unless configured); older
     * ones are forgotten. The list is a copy: later updates do not change it.
     */
    List<UpdateReportDTO> history();

    /** The update in progress, or else the last one; null if there has been none. */
    UpdateReportDTO status();

    /** The managed services now serving. */
    List<ManagedServiceDTO> managedServices();
}
