package org.graft.update.dto;

import org.osgi.dto.DTO;

/** What an update does with one state entry. */
public class StateEntryDTO extends DTO {
    public String name;
    /**
     * HANDED_OVER, CONVERTED, TRANSFORMED, NEW or REFUSED; RESET (an instance field not declared as
     * state: not carried) or WIRING (framework wiring: never carried), since 1.1.
     */
    public String action;
    public String fromType;
    public String toType;
    public String reason;
    /**
     * What the rehearsal found on the live state: CARRIED, REFUSED, RESET (a transformer declared it
     * fresh) or NOT_REHEARSED; null where no rehearsal ran.
     *
     * @since 1.4
     */
    public String rehearsal;
    /** What was carried ("converted (3 elements)"), why it was refused, or why it was not rehearsed. @since 1.4 */
    public String rehearsalDetail;
}
