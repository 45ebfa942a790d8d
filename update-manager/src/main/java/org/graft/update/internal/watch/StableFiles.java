package org.graft.update.internal.watch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Tells which files have stopped changing: a file is handed out once its size and modification time
 * have stayed the same over {@code stableScans} scans in a row, so that a copy still in progress is
 * never read. A file handed out is forgotten; if it is there again at a later scan (put back, or not
 * moved away), it is watched afresh, unless it was {@linkplain #refused refused} as it is: such a file is
 * handed out again only once it changed. Used by one thread only.
 */
final class StableFiles {
    /** A file's size and time, and for how many scans in a row they have not changed. */
    private static final class Observation {
        final long size;
        final long modified;
        int stableScans;

        Observation(long size, long modified) {
            this.size = size;
            this.modified = modified;
        }
    }

    private final int stableScans;
    private final Map<Path, Observation> observed = new HashMap<>();
    /** Files left in place after a refusal, as they were then. */
    private final Map<Path, Observation> refused = new HashMap<>();

    StableFiles(int stableScans) {
        this.stableScans = stableScans;
    }

    /**
     * One scan over the files there now.
     *
     * @return the files that became stable with this scan
     */
    List<Path> scan(List<Path> present) throws IOException {
        observed.keySet().retainAll(present);
        refused.keySet().retainAll(present);
        List<Path> stable = new ArrayList<>();
        for (Path file : present) {
            long size = Files.size(file);
            long modified = Files.getLastModifiedTime(file).toMillis();
            Observation refusal = refused.get(file);
            if (refusal != null) {
                if (refusal.size == size && refusal.modified == modified) {
                    continue;
                }
                refused.remove(file);
            }
            Observation last = observed.get(file);
            if (last == null || last.size != size || last.modified != modified) {
                observed.put(file, new Observation(size, modified));
            } else if (++last.stableScans >= stableScans) {
                observed.remove(file);
                stable.add(file);
            }
        }
        return stable;
    }

    /** {@code file}, just handed out, was refused but stays: hand it out again only once it changed. */
    void refused(Path file) throws IOException {
        refused.put(file, new Observation(Files.size(file), Files.getLastModifiedTime(file).toMillis()));
    }
}
