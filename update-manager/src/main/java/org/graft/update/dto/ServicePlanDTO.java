package org.graft.update.dto;

import java.util.ArrayList;
import java.util.List;

import org.osgi.dto.DTO;

/** One managed service replaced by an update, and how its state is carried. */
public class ServicePlanDTO extends DTO {
    public String identity;
    public String bundle;
    public String fromVersion;
    public String toVersion;
    public List<String> interfaces = new ArrayList<>();
    /** The transformer used, or null for the default mapping. */
    public String transformer;
    public List<StateEntryDTO> state = new ArrayList<>();
    /**
     * How the plan was made, where not from the next version's DS descriptor: a service registered
     * through an activator or Blueprint is planned from the class of the same name, and again from its
     * instance once it registers; null for a DS component.
     *
     * @since 1.1
     */
    public String note;
    /**
     * The rehearsal's estimate of this service's state transfer, in µs; -1 where none ran (a hand-over
     * by reference needs none).
     *
     * @since 1.4
     */
    public long estimatedTransferMicros = -1L;
}
