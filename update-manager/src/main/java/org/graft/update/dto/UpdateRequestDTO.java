package org.graft.update.dto;

import java.util.ArrayList;
import java.util.List;

import org.osgi.dto.DTO;

/** An update of one or more bundles, applied as one transaction. */
public class UpdateRequestDTO extends DTO {
    public List<BundleUpdateDTO> bundles = new ArrayList<>();
    public UpdateOptionsDTO options = new UpdateOptionsDTO();
}
