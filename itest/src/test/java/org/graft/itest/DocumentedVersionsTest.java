package org.graft.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.Test;

/**
 * What the README and the architecture say of the exported packages' versions is what their
 * {@code package-info.java} declares: a package version is the contract service authors build against.
 */
public class DocumentedVersionsTest {
    /** Where the documents name a package and its version: {@code `org.graft.container` 1.2.0}. */
    private static final Pattern DOCUMENTED = Pattern.compile("`(org\\.graft\\.[a-z.]+)` (\\d+\\.\\d+\\.\\d+)");
    private static final Pattern DECLARED = Pattern.compile("@Version\\(\"([^\"]+)\"\\)[\\s\\S]*?package ([a-z.]+);");

    @Test
    public void everyDocumentedPackageVersionIsTheDeclaredOne() throws IOException {
        Path root = Paths.get(System.getProperty("user.dir")).getParent();
        Map<String, String> declared = declaredVersions(root);
        assertFalse("package-info.java files found under " + root, declared.isEmpty());
        int checked = 0;
        for (Path document : List.of(root.resolve("README.md"), root.resolve("docs/ARCHITECTURE.md"))) {
            Matcher documented = DOCUMENTED.matcher(Files.readString(document));
            while (documented.find()) {
                String name = documented.group(1);
                assertTrue(document + " names " + name + ", which no package-info.java declares", declared.containsKey(name));
                assertEquals(document + " gives the version of " + name, declared.get(name), documented.group(2));
                checked++;
            }
        }
        assertTrue("the README names the API packages' versions", checked >= 4);
    }

    private static Map<String, String> declaredVersions(Path root) throws IOException {
        Map<String, String> versions = new HashMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : (Iterable<Path>) files.filter(p -> p.getFileName().toString().equals("package-info.java")
                    && p.toString().contains("/src/main/java/") && !p.toString().contains("/target/"))::iterator) {
                Matcher declaration = DECLARED.matcher(Files.readString(file));
                if (declaration.find()) {
                    versions.put(declaration.group(2), declaration.group(1));
                }
            }
        }
        return versions;
    }
}
