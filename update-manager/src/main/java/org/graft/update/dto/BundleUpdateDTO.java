package org.graft.update.dto;

import org.osgi.dto.DTO;

/** One bundle of an update: which running bundle, and where its new version is. */
public class BundleUpdateDTO extends DTO {
    /** The running bundle: its symbolic name or its id. */
    public String bundle;
    /**
     * A URL of the new version's jar ({@code file:}, {@code mvn:} where a handler is installed, ...);
     * null for the running bundle's own location, read again (a jar replaced in place).
     */
    public String location;

    public static BundleUpdateDTO of(String bundle, String location) {
        BundleUpdateDTO dto = new BundleUpdateDTO();
        dto.bundle = bundle;
        dto.location = location;
        return dto;
    }
}
