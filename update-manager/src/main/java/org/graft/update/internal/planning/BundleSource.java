package org.graft.update.internal.planning;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.MalformedURLException;
import java.net.URL;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.Manifest;

import org.graft.update.internal.config.JarPolicy;
import org.graft.update.internal.trust.JarSignatures;
import org.osgi.framework.Constants;
import org.osgi.framework.Version;

/** The bytes of a new bundle version, read once and checked before anything is installed. */
public final class BundleSource {
    private static final int END_RECORD_LENGTH = 22;
    private final String location;
    private final byte[] bytes;
    private final String symbolicName;
    private final Version version;

    private BundleSource(String location, byte[] bytes, String symbolicName, Version version) {
        this.location = location;
        this.bytes = bytes;
        this.symbolicName = symbolicName;
        this.version = version;
    }

    /**
     * A jar refused because it is not complete: a copy still being written may become a good jar, so
     * whoever watches files looks at it again when it changes.
     */
    public static final class IncompleteJarException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        IncompleteJarException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Reads the jar a request names, as {@code policy} allows: no larger than its bound, and signed as it
     * requires. Every channel that brings a new version (shell, JMX, the API, the watch folder, features,
     * {@code deploy/}) reads its jar through here.
     *
     * @throws IllegalArgumentException naming the location: unreadable, too large, not a jar, not a
     *         bundle, or not signed as the policy requires
     */
    public static BundleSource read(String location, JarPolicy policy) {
        boolean verify = policy.signatures().required();
        JarSignatures signatures = new JarSignatures();
        BundleSource source = parse(location, readBytes(location, policy.maxBytes()), verify ? signatures : null);
        if (verify) {
            policy.signatures().check(location, signatures);
        }
        return source;
    }

    /**
     * Reads at most {@code maxBytes} (and one more, to tell that there is more), without looking at
     * signatures: for jars that already ran here (a rollback's, from Graft's own archive).
     *
     * @throws IllegalArgumentException naming the location: unreadable, too large, not a jar, or not a bundle
     */
    public static BundleSource read(String location, long maxBytes) {
        return parse(location, readBytes(location, maxBytes));
    }

    private static byte[] readBytes(String location, long maxBytes) {
        if (location == null || location.isBlank()) {
            throw new IllegalArgumentException("no location given for the new version");
        }
        byte[] bytes;
        try (InputStream in = new URL(location).openStream()) {
            bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
            if (bytes.length > maxBytes) {
                throw new IllegalArgumentException(tooLarge(location, maxBytes));
            }
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("'" + location + "' is not a URL (file:, mvn:, http: ...): " + e.getMessage(), e);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + location + ": " + e, e);
        }
        return bytes;
    }

    /** The refusal of a jar larger than {@code maxBytes}, which was not read beyond that. */
    public static String tooLarge(String location, long maxBytes) {
        return location + " is larger than " + maxBytes / (1024 * 1024) + " MB, the most an update reads (key jar.max.mb):"
                + " it was not read further";
    }

    public static BundleSource parse(String location, byte[] bytes) {
        return parse(location, bytes, null);
    }

    /**
     * @param signatures where the signers of every entry are gathered, verifying each against its
     *        signature; null not to look at signatures (as the framework does not, without security)
     */
    static BundleSource parse(String location, byte[] bytes, JarSignatures signatures) {
        Manifest manifest;
        String entryName = null;
        try (JarInputStream jar = new JarInputStream(new ByteArrayInputStream(bytes), signatures != null)) {
            manifest = jar.getManifest();
            JarEntry first = jar.getNextJarEntry();
            if (manifest == null) {
                // JarInputStream only finds a manifest stored first; check that the rest is a zip at all.
                if (first == null) {
                    throw new IllegalArgumentException(location + " is not a jar (no zip entries in " + bytes.length + " bytes)");
                }
                throw new IllegalArgumentException(location + " is a jar without a manifest at its start: not an OSGi bundle");
            }
            // Reading every entry checks its CRC: a damaged jar fails here, not in the framework later.
            for (JarEntry entry = first; entry != null; entry = jar.getNextJarEntry()) {
                entryName = entry.getName();
                jar.transferTo(OutputStream.nullOutputStream());
                if (signatures != null) {
                    signatures.entry(entry);
                }
            }
        } catch (SecurityException e) {
            // Thrown only when verifying: an entry, or the manifest, differs from what was signed.
            throw new IllegalArgumentException(location + " does not match its signature"
                    + (entryName == null ? "" : " at the entry " + entryName) + " (" + e.getMessage()
                    + "): it was changed after it was signed", e);
        } catch (IOException e) {
            throw new IncompleteJarException(location + " is not a complete jar ("
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
                    + "): a partial copy, or a corrupt file", e);
        }
        if (!endsWithCentralDirectory(bytes)) {
            // A jar streams from its start, so a truncated one still shows its manifest and first entries.
            throw new IncompleteJarException(location + " is not a complete jar (its central directory is missing):"
                    + " a partial copy, or a corrupt file", null);
        }
        Attributes main = manifest.getMainAttributes();
        String name = main.getValue(Constants.BUNDLE_SYMBOLICNAME);
        if (name == null) {
            throw new IllegalArgumentException(location + " is a jar but not an OSGi bundle: its manifest has no Bundle-SymbolicName");
        }
        int directives = name.indexOf(';');
        String symbolicName = (directives < 0 ? name : name.substring(0, directives)).trim();
        Version version;
        try {
            version = Version.parseVersion(main.getValue(Constants.BUNDLE_VERSION));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(location + " has an invalid Bundle-Version '"
                    + main.getValue(Constants.BUNDLE_VERSION) + "'", e);
        }
        return new BundleSource(location, bytes, symbolicName, version);
    }

    /** Whether the zip's end-of-central-directory record is in its last 64 KiB + 22 bytes, where it must be. */
    private static boolean endsWithCentralDirectory(byte[] bytes) {
        int lowest = Math.max(0, bytes.length - (0xFFFF + END_RECORD_LENGTH));
        for (int i = bytes.length - END_RECORD_LENGTH; i >= lowest; i--) {
            if (bytes[i] == 0x50 && bytes[i + 1] == 0x4b && bytes[i + 2] == 0x05 && bytes[i + 3] == 0x06) {
                int commentLength = (bytes[i + 20] & 0xff) | (bytes[i + 21] & 0xff) << 8;
                return i + END_RECORD_LENGTH + commentLength == bytes.length;
            }
        }
        return false;
    }

    public InputStream stream() {
        return new ByteArrayInputStream(bytes);
    }

    /** Where the jar was read from. */
    public String location() {
        return location;
    }

    public String symbolicName() {
        return symbolicName;
    }

    public Version version() {
        return version;
    }
}
