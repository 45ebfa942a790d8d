package org.graft.update.dto;

import java.util.ArrayList;
import java.util.List;

import org.osgi.dto.DTO;

/** An update as it happened. Also the journal's record of it. */
public class UpdateReportDTO extends DTO {
    public static final String IN_PROGRESS = "IN_PROGRESS";
    /** Every service switched to its new version. */
    public static final String SUCCEEDED = "SUCCEEDED";
    /** Aborted before the switch: the new versions were removed, the old ones serve on, state untouched. */
    public static final String FAILED = "FAILED";
    /** Refused before anything ran (bad input, or a plan that would lose state). */
    public static final String REFUSED = "REFUSED";

    public static final String UPDATE = "update";
    public static final String ROLLBACK = "rollback";

    public long id;
    /** {@link #UPDATE} or {@link #ROLLBACK}. */
    public String kind;
    public String outcome;
    /** The step that failed, if any. */
    public String failedStep;
    /** What happened, and for a failure: the cause and the state the system is in now. */
    public String message;
    public long startedAt;
    public long finishedAt;
    public UpdateOptionsDTO options;
    public UpdatePlanDTO plan;
    public List<StepDTO> steps = new ArrayList<>();
    public TimingsDTO timings = new TimingsDTO();
    /**
     * Whether calls are held at the moment the report was read: in a report of an update still running
     * ({@link #IN_PROGRESS}, from {@code UpdateManager.status()}), {@link TimingsDTO#heldMicros} is then the
     * time they have been held so far, and the {@link StepDTO#RUNNING} step's duration its time so far.
     *
     * @since 1.3
     */
    public boolean callsHeld;
}
