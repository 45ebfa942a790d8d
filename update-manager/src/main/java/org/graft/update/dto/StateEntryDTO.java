package org.graft.update.dto;

import org.osgi.dto.DTO;

/** What an update does with one state entry. */
public class StateEntryDTO extends DTO {
    public String name;
    /** HANDED_OVER, CONVERTED, TRANSFORMED, NEW or REFUSED. */
    public String action;
    public String fromType;
    public String toType;
    public String reason;
}
