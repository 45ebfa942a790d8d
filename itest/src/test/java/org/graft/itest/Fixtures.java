package org.graft.itest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Where the fixture bundles are ({@link FixtureBundles} builds them): usable inside the framework too. */
final class Fixtures {
    /** The system property naming the fixtures' folder. */
    static final String DIRECTORY = "graft.fixtures";

    private Fixtures() {
    }

    /** The file URL of a fixture bundle, e.g. {@code url("counter-v2-throwing-transformer")}. */
    static String url(String name) {
        String folder = System.getProperty(DIRECTORY);
        if (folder == null) {
            throw new IllegalStateException("the fixture bundles were not built: no system property " + DIRECTORY);
        }
        Path jar = Paths.get(folder, name + ".jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no fixture bundle " + jar);
        }
        return jar.toUri().toString();
    }
}
