package org.graft.update.internal.journal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Makes a folder of the update manager's data area readable and writable by its owner only: recovery
 * acts on the journal's records and rollbacks install the archive's jars, so no other user may plant
 * or change a file there.
 */
final class OwnerOnly {
    private OwnerOnly() {
    }

    /** On a POSIX file system; elsewhere the data area's own permissions stand. */
    static void restrict(Path directory) throws IOException {
        try {
            Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system (Windows): its ACLs are the operator's
        }
    }
}
