package org.graft.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.Test;

/**
 * A rolling update across a Cellar group of three Karafs of the Graft distribution on 127.0.0.1, each
 * under nonstop callers, run by {@code karaf-features/demo/graft-cluster.sh} on the distribution and
 * jars this build made: a rollout its second node refuses halts and rolls the first back; the same
 * rollout accepted updates every node one at a time; a rollout with a probe during which a node is
 * killed (SIGKILL) halts and rolls back, and the node, started again, converges to the group's
 * version; no call fails and every count is exact on the nodes that ran throughout. Pax Exam runs one
 * container per test class, so the three nodes are processes the script starts and stops; this test
 * bounds them in time and stops whatever the script left running.
 */
public class KarafClusterIT {
    private static final long TIMEOUT_MINUTES = 20;

    @Test
    public void aRollingUpdateAcrossThreeKarafsHaltsRollsBackAndConvergesWithNoFailedCall() throws Exception {
        Path root = Paths.get(System.getProperty("graft.root")).toRealPath();
        Path build = Paths.get(System.getProperty("graft.build.directory"));
        Path work = build.resolve("cluster");
        Path output = build.resolve("cluster.log");
        ProcessBuilder script = new ProcessBuilder("bash", root.resolve("karaf-features/demo/graft-cluster.sh").toString())
                .directory(root.toFile()).redirectErrorStream(true).redirectOutput(output.toFile());
        script.environment().put("GRAFT_PREBUILT", "1");
        script.environment().put("CLUSTER_WORK", work.toString());
        Process running = script.start();
        boolean ended;
        try {
            ended = running.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES);
        } finally {
            if (running.isAlive()) {
                running.descendants().forEach(ProcessHandle::destroyForcibly);
                running.destroyForcibly();
            }
            killNodesLeftRunning(work);
        }
        String printed = Files.readString(output, StandardCharsets.UTF_8);
        System.out.println(printed);
        if (!ended) {
            fail("graft-cluster.sh did not end within " + TIMEOUT_MINUTES + " minutes; its output so far: " + output);
        }
        assertEquals("graft-cluster.sh failed; its output: " + output + "\n" + tail(printed), 0, running.exitValue());
        assertTrue(tail(printed), printed.contains("VERDICT: PASS"));
    }

    /** The nodes' JVMs still running, by the pid each writes, whatever state the script ended in. */
    private static void killNodesLeftRunning(Path work) throws IOException {
        if (!Files.isDirectory(work)) {
            return;
        }
        try (Stream<Path> nodes = Files.list(work)) {
            for (Path pidFile : (Iterable<Path>) nodes.map(node -> node.resolve("karaf.pid"))::iterator) {
                if (Files.isRegularFile(pidFile)) {
                    long pid = Long.parseLong(Files.readString(pidFile).trim());
                    // only that node's JVM: a pid left in a file may have been reused since
                    String home = pidFile.getParent().toString();
                    ProcessHandle.of(pid).filter(p -> p.info().commandLine().map(c -> c.contains(home)).orElse(false))
                            .ifPresent(ProcessHandle::destroyForcibly);
                }
            }
        }
    }

    private static String tail(String printed) {
        return printed.length() <= 4000 ? printed : printed.substring(printed.length() - 4000);
    }
}
