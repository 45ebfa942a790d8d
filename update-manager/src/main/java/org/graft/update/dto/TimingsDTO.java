package org.graft.update.dto;

import org.osgi.dto.DTO;

/** Where an update's time went, in microseconds. */
public class TimingsDTO extends DTO {
    /** From holding new calls to releasing them: the longest any call could have waited. */
    public long heldMicros;
    /** Waiting for running calls to finish. */
    public long drainMicros;
    /**
     * Before the hold, with calls flowing: moving the calls of directly linked proxies onto the counted
     * path and waiting for the uncounted ones to end. Not part of {@link #heldMicros}.
     *
     * @since 1.5
     */
    public long unlinkMicros;
    /** Capturing, converting or transforming, and injecting state. */
    public long transferMicros;
    /**
     * Of {@link #transferMicros}: reading the old instances' state, summed over the services.
     *
     * @since 1.1
     */
    public long captureMicros;
    /**
     * Of {@link #transferMicros}: converting or transforming it, summed over the services.
     *
     * @since 1.1
     */
    public long convertMicros;
    /**
     * Of {@link #transferMicros}: writing it into the new instances, summed over the services.
     *
     * @since 1.1
     */
    public long injectMicros;
    /**
     * The rehearsal's estimate of the transfer's conversion, before calls were held (the time the last
     * rehearsal pass spent converting or transforming, summed over the services); 0 if none ran.
     *
     * @since 1.4
     */
    public long estimatedTransferMicros;
    /** The whole update, from request to report. */
    public long totalMicros;
}
