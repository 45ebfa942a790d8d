package org.graft.update.dto;

import org.osgi.dto.DTO;

/** Where an update's time went, in microseconds. */
public class TimingsDTO extends DTO {
    /** From holding new calls to releasing them: the longest any call could have waited. */
    public long heldMicros;
    /** Waiting for running calls to finish. */
    public long drainMicros;
    /** Capturing, converting or transforming, and injecting state. */
    public long transferMicros;
    /** The whole update, from request to report. */
    public long totalMicros;
}
