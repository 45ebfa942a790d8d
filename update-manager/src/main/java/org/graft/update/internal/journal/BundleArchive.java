package org.graft.update.internal.journal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.net.URL;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import org.graft.container.internal.log.Logs;
import org.osgi.framework.Bundle;
import org.osgi.framework.Version;

/**
 * Keeps the jar of every version an update retires, so that a rollback can install it again. The jar
 * is rebuilt from the bundle's own entries (its original location may be gone or have changed). Jars
 * that no report of the (bounded) history names any more are deleted: no rollback can reach them.
 */
public final class BundleArchive {
    private final Path directory;

    public BundleArchive(Path directory) throws IOException {
        this.directory = Files.createDirectories(directory);
        OwnerOnly.restrict(this.directory);
    }

    public Path pathOf(String symbolicName, Version version) {
        return directory.resolve(symbolicName + "-" + version + ".jar");
    }

    /** Saves the bundle's content unless that version is archived already. */
    public Path archive(Bundle bundle) throws IOException {
        Path target = pathOf(bundle.getSymbolicName(), bundle.getVersion());
        if (Files.exists(target)) {
            return target;
        }
        Path temporary = Files.createTempFile(directory, "archive", ".tmp");
        try (OutputStream out = Files.newOutputStream(temporary); JarOutputStream jar = new JarOutputStream(out)) {
            // The manifest must come first for JarInputStream (and so for install-from-stream).
            copy(bundle, "META-INF/MANIFEST.MF", jar);
            for (String path : entries(bundle, "/")) {
                if (!path.equals("META-INF/MANIFEST.MF")) {
                    copy(bundle, path, jar);
                }
            }
        }
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
        return target;
    }

    /**
     * Deletes every archived jar not in {@code keep}. A jar that cannot be deleted is logged and left:
     * it costs disk space, not correctness, and the next pruning tries again.
     *
     * @return the jars deleted
     */
    public List<Path> retainOnly(Set<Path> keep) throws IOException {
        List<Path> deleted = new ArrayList<>();
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(directory, "*.jar")) {
            for (Path jar : jars) {
                if (keep.contains(jar)) {
                    continue;
                }
                try {
                    Files.deleteIfExists(jar);
                    deleted.add(jar);
                } catch (IOException e) {
                    Logs.get("org.graft.update.journal").log(Level.WARNING,
                            "Graft could not delete the archived jar " + jar + ", which no update report names any more", e);
                }
            }
        }
        return deleted;
    }

    private static List<String> entries(Bundle bundle, String root) {
        List<String> files = new ArrayList<>();
        Enumeration<String> paths = bundle.getEntryPaths(root);
        while (paths != null && paths.hasMoreElements()) {
            String path = paths.nextElement();
            if (path.endsWith("/")) {
                files.addAll(entries(bundle, path));
            } else {
                files.add(path);
            }
        }
        return files;
    }

    private static void copy(Bundle bundle, String path, JarOutputStream jar) throws IOException {
        URL entry = bundle.getEntry(path);
        if (entry == null) {
            throw new IOException(bundle.getSymbolicName() + " " + bundle.getVersion() + " has no entry " + path);
        }
        jar.putNextEntry(new JarEntry(path));
        try (InputStream in = entry.openStream()) {
            in.transferTo(jar);
        }
        jar.closeEntry();
    }
}
