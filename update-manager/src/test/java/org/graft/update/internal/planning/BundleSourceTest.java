package org.graft.update.internal.planning;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.Test;
import org.osgi.framework.Version;

public class BundleSourceTest {

    @Test
    public void readsSymbolicNameWithoutDirectivesAndVersion() throws IOException {
        BundleSource source = BundleSource.parse("file:/x.jar", jar("org.example.counter;singleton:=true", "2.0.0.q"));
        assertEquals("org.example.counter", source.symbolicName());
        assertEquals(Version.parseVersion("2.0.0.q"), source.version());
    }

    @Test
    public void refusesBytesThatAreNotAZip() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BundleSource.parse("file:/broken.jar", "not a zip".getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage(), e.getMessage().contains("file:/broken.jar is not a jar"));
    }

    @Test
    public void refusesATruncatedJarThoughItsManifestReads() throws IOException {
        byte[] jar = jar("a.b", "1.0.0");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BundleSource.parse("file:/half.jar", java.util.Arrays.copyOf(jar, jar.length - 30)));
        assertTrue(e.getMessage(), e.getMessage().contains("file:/half.jar is not a complete jar"));
        assertTrue(e.getMessage(), e.getMessage().contains("a partial copy, or a corrupt file"));
    }

    @Test
    public void refusesAJarWithoutBundleSymbolicName() throws IOException {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BundleSource.parse("file:/plain.jar", jar(null, "1.0.0")));
        assertTrue(e.getMessage(), e.getMessage().contains("not an OSGi bundle: its manifest has no Bundle-SymbolicName"));
    }

    @Test
    public void refusesAnInvalidVersion() throws IOException {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BundleSource.parse("file:/v.jar", jar("a.b", "one.two")));
        assertTrue(e.getMessage(), e.getMessage().contains("invalid Bundle-Version 'one.two'"));
    }

    @Test
    public void refusesAJarWithoutManifest() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream out = new JarOutputStream(bytes)) {
            out.putNextEntry(new JarEntry("a.txt"));
            out.write(1);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BundleSource.parse("file:/m.jar", bytes.toByteArray()));
        assertTrue(e.getMessage(), e.getMessage().contains("without a manifest"));
    }

    @Test
    public void refusesAnUnreadableLocationNamingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BundleSource.read("file:/no/such/file.jar", 1024));
        assertTrue(e.getMessage(), e.getMessage().contains("cannot read file:/no/such/file.jar"));
        IllegalArgumentException notUrl = assertThrows(IllegalArgumentException.class, () -> BundleSource.read("counter.jar", 1024));
        assertTrue(notUrl.getMessage(), notUrl.getMessage().contains("'counter.jar' is not a URL"));
    }

    @Test
    public void readsNoMoreThanTheLimit() throws IOException {
        java.nio.file.Path file = java.nio.file.Files.createTempFile("large", ".jar");
        try {
            byte[] jar = jar("org.example.counter", "2.0.0");
            java.nio.file.Files.write(file, jar);
            assertEquals("org.example.counter", BundleSource.read(file.toUri().toString(), jar.length).symbolicName());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> BundleSource.read(file.toUri().toString(), jar.length - 1));
            assertTrue(e.getMessage(), e.getMessage().contains("the most an update reads (key jar.max.mb): it was not read further"));
        } finally {
            java.nio.file.Files.delete(file);
        }
    }

    private static byte[] jar(String symbolicName, String version) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (symbolicName != null) {
            manifest.getMainAttributes().putValue("Bundle-SymbolicName", symbolicName);
        }
        manifest.getMainAttributes().putValue("Bundle-Version", version);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream out = new JarOutputStream(bytes, manifest)) {
            out.putNextEntry(new JarEntry("x/A.class"));
            out.write(new byte[] {1, 2, 3});
        }
        return bytes.toByteArray();
    }
}
