package org.graft.itest;

import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import org.junit.Test;

/**
 * The service authors' example ({@code sample-bundles/author-example}), a project of its own, built as
 * its author would build it once Graft is installed: {@code mvn verify}, with bnd-maven-plugin for one
 * version and maven-bundle-plugin for the other, and its own Pax Exam test updating greeter 1 to 2 in
 * Felix under load. Graft's artifacts come from the reactor's repository, which stands for the local
 * repository after {@code mvn install}; everything else from this machine's Maven repository, read as a
 * remote one (then Central), into a local repository of the example's own, so that nothing of this
 * build lands in the machine's repository.
 */
public class AuthorExampleIT {
    private static final long TIMEOUT_MINUTES = 10;

    @Test
    public void theAuthorsExampleBuildsAgainstTheInstalledArtifactsAndItsUpdateTestPasses() throws Exception {
        Path root = Paths.get(property("graft.root")).toRealPath();
        Path reactorRepo = Paths.get(property("graft.reactor.repo"));
        Path work = Paths.get(property("graft.build.directory"), "author-example");
        deleteRecursively(work);
        Path source = work.resolve("src");
        copyTree(root.resolve("sample-bundles/author-example"), source);
        // `mvn install` would also install Graft's parent POM, which its artifacts' POMs name
        Path parent = reactorRepo.resolve("org/graft/graft-parent/" + property("graft.project.version"));
        Files.createDirectories(parent);
        Files.copy(root.resolve("pom.xml"), parent.resolve("graft-parent-" + property("graft.project.version") + ".pom"),
                StandardCopyOption.REPLACE_EXISTING);
        Path settings = work.resolve("settings.xml");
        Files.writeString(settings, settings(work.resolve("m2"), reactorRepo, Paths.get(property("graft.maven.repository"))));

        Path log = work.resolve("build.log");
        Process build = new ProcessBuilder(Paths.get(property("graft.maven.home"), "bin", "mvn").toString(), "-B", "-ntp",
                "-s", settings.toString(), "verify")
                .directory(source.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!build.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
            build.destroyForcibly();
            throw new AssertionError("the example's build did not end within " + TIMEOUT_MINUTES + " min; log: " + log);
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertTrue("the example builds (exit " + build.exitValue() + "); the end of " + log + ":\n" + tail(output),
                build.exitValue() == 0 && output.contains("BUILD SUCCESS"));
        assertTrue("its update test ran and passed:\n" + tail(output),
                output.contains("Tests run: 1, Failures: 0, Errors: 0, Skipped: 0, Time elapsed")
                        && output.contains("in org.example.greeter.test.GreeterUpdateTest"));
        try (JarFile v2 = new JarFile(source.resolve("greeter-v2/target/greeter-v2-1.0.0.jar").toFile())) {
            String managed = v2.getManifest().getMainAttributes().getValue("Graft-Managed");
            assertTrue("maven-bundle-plugin wrote Graft's header from @Managed: " + managed, "true".equals(managed));
        }
    }

    private static String settings(Path localRepository, Path reactorRepo, Path machineRepo) {
        return "<settings>\n"
                + "  <localRepository>" + localRepository + "</localRepository>\n"
                + "  <profiles><profile><id>graft-installed</id>\n"
                + "    <repositories>\n"
                + "      <repository><id>graft-installed</id><url>" + reactorRepo.toUri() + "</url>"
                + "<snapshots><enabled>true</enabled></snapshots></repository>\n"
                + "      <repository><id>machine</id><url>" + machineRepo.toUri() + "</url></repository>\n"
                + "    </repositories>\n"
                + "    <pluginRepositories><pluginRepository><id>machine</id><url>" + machineRepo.toUri()
                + "</url></pluginRepository></pluginRepositories>\n"
                + "  </profile></profiles>\n"
                + "  <activeProfiles><activeProfile>graft-installed</activeProfile></activeProfiles>\n"
                + "</settings>\n";
    }

    private static String property(String name) {
        String value = System.getProperty(name);
        if (value == null) {
            throw new IllegalStateException("no system property " + name + " (set by failsafe in itest/pom.xml)");
        }
        return value;
    }

    private static String tail(String output) {
        List<String> lines = output.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path relative = from.relativize(file);
                boolean built = false;
                for (Path name : relative) {
                    built |= name.toString().equals("target");
                }
                if (built) {
                    continue; // an earlier build of the example in place
                }
                Path target = to.resolve(relative.toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> files = Files.walk(path)) {
            for (Path file : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(file);
            }
        }
    }
}
