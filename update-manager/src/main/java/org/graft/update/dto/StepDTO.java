package org.graft.update.dto;

import org.osgi.dto.DTO;

/** One step of an update, as it ran. */
public class StepDTO extends DTO {
    public static final String OK = "OK";
    public static final String FAILED = "FAILED";
    public static final String RUNNING = "RUNNING";

    /** The step's label: see {@link org.graft.update.UpdateStep#label()}. */
    public String name;
    public String status;
    public long startedAt;
    public long durationMicros;
    public String detail;
}
