package org.graft.update.internal.karaf;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class BundleReplacementsTest {
    private static final String OPERATORS_FILE = """
            <?xml version="1.0" encoding="UTF-8"?>
            <featuresProcessing xmlns="http://karaf.apache.org/xmlns/features-processing/v1.0.0">
                <!-- the operator's comment -->
                <blacklistedBundles>
                    <bundle>mvn:org.example/blacklisted/1.0</bundle>
                </blacklistedBundles>
                <bundleReplacements>
                    <bundle originalUri="mvn:org.example/other/[1,2)" replacement="mvn:org.example/other/1.5" />
                </bundleReplacements>
            </featuresProcessing>
            """;

    @Rule
    public final TemporaryFolder folder = new TemporaryFolder();

    @Test
    public void aReplacementIsAddedBesideTheOperatorsRulesWhichStay() throws IOException {
        Path file = write(OPERATORS_FILE);
        BundleReplacements rules = BundleReplacements.read(file);
        rules.replace("mvn:org.example/counter/1.0.0", "file:/data/provisioned/counter-2.0.0.jar");
        rules.write();

        String written = Files.readString(file);
        assertTrue(written, written.contains("the operator's comment"));
        assertTrue(written, written.contains("mvn:org.example/blacklisted/1.0"));
        BundleReplacements reread = BundleReplacements.read(file);
        assertEquals("mvn:org.example/other/1.5", reread.replacementOf("mvn:org.example/other/[1,2)"));
        assertEquals("file:/data/provisioned/counter-2.0.0.jar", reread.replacementOf("mvn:org.example/counter/1.0.0"));
        assertEquals(List.of("mvn:org.example/other/1.5", "file:/data/provisioned/counter-2.0.0.jar"), reread.replacements());
        assertTrue("in mode maven, which does not compare versions: " + written,
                written.matches("(?s).*originalUri=\"mvn:org.example/counter/1.0.0\"[^>]*mode=\"maven\".*")
                        || written.matches("(?s).*mode=\"maven\"[^>]*originalUri=\"mvn:org.example/counter/1.0.0\".*"));
    }

    @Test
    public void aSecondUpdateRewritesTheSameRuleAndARollbackRemovesIt() throws IOException {
        Path file = write(OPERATORS_FILE);
        BundleReplacements rules = BundleReplacements.read(file);
        rules.replace("mvn:org.example/counter/1.0.0", "file:/p/counter-2.0.0.jar");
        rules.write();
        rules = BundleReplacements.read(file);
        rules.replace("mvn:org.example/counter/1.0.0", "file:/p/counter-3.0.0.jar");
        rules.write();
        assertEquals(List.of("mvn:org.example/other/1.5", "file:/p/counter-3.0.0.jar"), BundleReplacements.read(file).replacements());

        rules = BundleReplacements.read(file);
        rules.remove("mvn:org.example/counter/1.0.0");
        rules.write();
        BundleReplacements reread = BundleReplacements.read(file);
        assertNull(reread.replacementOf("mvn:org.example/counter/1.0.0"));
        assertEquals(List.of("mvn:org.example/other/1.5"), reread.replacements());
    }

    @Test
    public void nothingChangedWritesNothing() throws IOException {
        Path file = write(OPERATORS_FILE);
        BundleReplacements rules = BundleReplacements.read(file);
        rules.remove("mvn:org.example/not-replaced/1.0");
        assertFalse(rules.changed());
        rules.replace("mvn:org.example/counter/1.0.0", "file:/p/counter-2.0.0.jar");
        rules.write();
        rules = BundleReplacements.read(file);
        rules.replace("mvn:org.example/counter/1.0.0", "file:/p/counter-2.0.0.jar");
        assertFalse("the same rule again is no change", rules.changed());
    }

    @Test
    public void aMissingFileIsCreatedInTheProcessingNamespace() throws IOException {
        Path file = folder.getRoot().toPath().resolve("etc/org.apache.karaf.features.xml");
        BundleReplacements rules = BundleReplacements.read(file);
        rules.replace("mvn:org.example/counter/1.0.0", "file:/p/counter-2.0.0.jar");
        rules.write();
        String written = Files.readString(file);
        assertTrue(written, written.contains("xmlns=\"" + BundleReplacements.NAMESPACE + "\""));
        assertEquals("file:/p/counter-2.0.0.jar", BundleReplacements.read(file).replacementOf("mvn:org.example/counter/1.0.0"));
    }

    @Test
    public void aFileThatIsNotAFeaturesProcessingFileIsRefusedNamingIt() throws IOException {
        Path broken = write("<featuresProcessing xmlns=\"" + BundleReplacements.NAMESPACE + "\"><bundleReplacements>");
        try {
            BundleReplacements.read(broken);
            fail("a truncated file was read");
        } catch (IOException e) {
            assertTrue(e.getMessage(), e.getMessage().contains(broken + " is not well-formed XML"));
        }
        Path other = write("<features xmlns=\"http://karaf.apache.org/xmlns/features/v1.6.0\"/>");
        try {
            BundleReplacements.read(other);
            fail("a features repository was read as processing rules");
        } catch (IOException e) {
            assertTrue(e.getMessage(), e.getMessage().contains(other + " is not a features processing file"));
        }
        assertEquals("a refused file is left as it was", "<features xmlns=\"http://karaf.apache.org/xmlns/features/v1.6.0\"/>",
                Files.readString(other));
    }

    private Path write(String text) throws IOException {
        Path file = folder.newFile().toPath();
        Files.writeString(file, text.strip(), StandardCharsets.UTF_8);
        return file;
    }
}
