package org.graft.update;

import org.graft.update.dto.StepDTO;
import org.graft.update.dto.UpdateReportDTO;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Hears the steps of one update as they end, e.g. to print progress.
 *
 * <pre>{@code
 * BlockingQueue<StepDTO> ended = new LinkedBlockingQueue<>();
 * updateManager.update(request, (report, step) -> ended.add(step));
 * }</pre>
 *
 * <p>Called on the update thread; it must return at once. Steps that end while calls are held are
 * reported after the calls are released, so a listener can never lengthen a hold.
 */
@ConsumerType
public interface UpdateProgress {
    /** Nobody listens. */
    UpdateProgress NONE = (report, step) -> {
    };

    void stepEnded(UpdateReportDTO report, StepDTO step);
}
