package org.graft.update.dto;

import org.osgi.dto.DTO;

/** One bundle replaced by an update. */
public class BundlePlanDTO extends DTO {
    public String symbolicName;
    public String fromVersion;
    public String toVersion;
    public long fromBundleId;
    /** The id of the new version's bundle once installed; 0 before. */
    public long toBundleId;
    public String location;
}
