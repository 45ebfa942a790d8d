package org.graft.update.internal.journal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.osgi.framework.Version;

public class BundleArchiveTest {
    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    @Test
    public void retainOnlyDeletesTheJarsNotKeptAndNothingElse() throws Exception {
        BundleArchive archive = new BundleArchive(folder.getRoot().toPath());
        Path kept = Files.writeString(archive.pathOf("org.example.a", Version.parseVersion("1.0.0")), "a");
        Path dropped = Files.writeString(archive.pathOf("org.example.b", Version.parseVersion("2.0.0")), "b");
        Path notAJar = Files.writeString(folder.getRoot().toPath().resolve("archive123.tmp"), "in progress");

        List<Path> deleted = archive.retainOnly(Set.of(kept, archive.pathOf("org.example.c", Version.parseVersion("3.0.0"))));

        assertEquals(List.of(dropped), deleted);
        assertTrue(Files.exists(kept));
        assertFalse(Files.exists(dropped));
        assertTrue("only archived jars are pruned", Files.exists(notAJar));
    }
}
