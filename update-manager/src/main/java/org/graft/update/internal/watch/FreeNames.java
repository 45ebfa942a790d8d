package org.graft.update.internal.watch;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/** A name in a folder that no file takes yet, so that nothing put there overwrites what is there. */
final class FreeNames {
    private FreeNames() {
    }

    /**
     * {@code name} in {@code folder} if neither it nor its companion ({@code name + companionSuffix}) exists,
     * else {@code counter-1.jar}, {@code counter-2.jar}, ... for {@code counter.jar}: the first that is free.
     */
    static Path in(Path folder, String name, String companionSuffix) {
        int dot = name.lastIndexOf('.');
        String base = dot > 0 ? name.substring(0, dot) : name;
        String extension = dot > 0 ? name.substring(dot) : "";
        String candidate = name;
        for (int n = 1; taken(folder, candidate, companionSuffix); n++) {
            candidate = base + "-" + n + extension;
        }
        return folder.resolve(candidate);
    }

    private static boolean taken(Path folder, String name, String companionSuffix) {
        return Files.exists(folder.resolve(name), LinkOption.NOFOLLOW_LINKS)
                || Files.exists(folder.resolve(name + companionSuffix), LinkOption.NOFOLLOW_LINKS);
    }
}
