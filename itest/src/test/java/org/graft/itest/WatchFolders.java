package org.graft.itest;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/** What the watch folder tests do to a folder: empty it, and drop a jar into it as a careful operator would. */
final class WatchFolders {
    private WatchFolders() {
    }

    /** Each test gets a framework of its own but the same folder: removes earlier tests' files from it and its subfolders. */
    static void empty(Path folder) throws IOException {
        for (String sub : new String[] {"", "applied", "failed"}) {
            Path directory = folder.resolve(sub);
            if (Files.isDirectory(directory)) {
                try (Stream<Path> files = Files.list(directory)) {
                    for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                        Files.delete(file);
                    }
                }
            }
        }
    }

    /** Copies the jar at {@code url} into {@code folder} under {@code name}, atomically: a whole file appears. */
    static void drop(String url, Path folder, String name) throws IOException {
        Path temporary = Files.createTempFile(folder.getParent(), name, ".part");
        Files.copy(Paths.get(URI.create(url)), temporary, StandardCopyOption.REPLACE_EXISTING);
        Files.move(temporary, folder.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }
}
