package org.graft.update.dto;

import java.util.ArrayList;
import java.util.List;

import org.osgi.dto.DTO;

/** An update of one or more bundles, applied as one transaction. */
public class UpdateRequestDTO extends DTO {
    public List<BundleUpdateDTO> bundles = new ArrayList<>();
    /**
     * A Karaf feature, {@code name/version}, whose bundles the update applies: each bundle of it that is
     * a newer (or older) version of a managed bundle installed joins {@link #bundles}, and once they serve
     * the features service installs the feature in place of its other version. Null for none.
     *
     * @since 1.2
     */
    public String feature;
    public UpdateOptionsDTO options = new UpdateOptionsDTO();
}
