package org.graft.update.dto;

import java.util.ArrayList;
import java.util.List;

import org.osgi.dto.DTO;

/** What an update would do. A plan with refusals is not applied. */
public class UpdatePlanDTO extends DTO {
    public String strategy;
    public List<BundlePlanDTO> bundles = new ArrayList<>();
    public List<ServicePlanDTO> services = new ArrayList<>();
    /** Why the update cannot be applied; empty if it can. */
    public List<String> refusals = new ArrayList<>();
}
