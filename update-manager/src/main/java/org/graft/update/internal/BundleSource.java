package org.graft.update.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URL;
import java.util.jar.Attributes;
import java.util.jar.JarInputStream;
import java.util.jar.Manifest;

import org.osgi.framework.Constants;
import org.osgi.framework.Version;

/** The bytes of a new bundle version, read once and checked before anything is installed. */
final class BundleSource {
    final String location;
    final byte[] bytes;
    final String symbolicName;
    final Version version;

    private BundleSource(String location, byte[] bytes, String symbolicName, Version version) {
        this.location = location;
        this.bytes = bytes;
        this.symbolicName = symbolicName;
        this.version = version;
    }

    /** @throws IllegalArgumentException naming the location: unreadable, not a jar, or not a bundle */
    static BundleSource read(String location) {
        if (location == null || location.isBlank()) {
            throw new IllegalArgumentException("no location given for the new version");
        }
        byte[] bytes;
        try (InputStream in = new URL(location).openStream()) {
            bytes = in.readAllBytes();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("'" + location + "' is not a URL (file:, mvn:, http: ...): " + e.getMessage(), e);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + location + ": " + e, e);
        }
        return parse(location, bytes);
    }

    static BundleSource parse(String location, byte[] bytes) {
        Manifest manifest;
        try (JarInputStream jar = new JarInputStream(new ByteArrayInputStream(bytes))) {
            manifest = jar.getManifest();
            if (manifest == null) {
                // JarInputStream only finds a manifest stored first; check that the rest is a zip at all.
                if (jar.getNextJarEntry() == null) {
                    throw new IllegalArgumentException(location + " is not a jar (no zip entries in " + bytes.length + " bytes)");
                }
                throw new IllegalArgumentException(location + " is a jar without a manifest at its start: not an OSGi bundle");
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(location + " is not a readable jar: " + e.getMessage(), e);
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

    InputStream stream() {
        return new ByteArrayInputStream(bytes);
    }
}
