package org.graft.itest.crash;

import static org.graft.itest.StandaloneFramework.deleteRecursively;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.ServiceLoader;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.Test;
import org.osgi.framework.launch.FrameworkFactory;

/**
 * Crash-point testing: a framework in a child process ({@link CrashChild}) is killed with SIGKILL
 * while it updates the sample counter under two nonstop callers, at each boundary between the steps
 * the update reports (exactly there, and a random time after it), then started again on the same
 * storage, where it must come back with exactly one version of the counter serving behind its
 * managed proxy, no record left in progress, a history that says what serves, the archive a rollback
 * needs, no bundle left over, and a next update and rollback that succeed. The steps that run while
 * calls are held report at the release, so their boundary is the release itself; the random offsets
 * land inside the steps that follow.
 *
 * <p>{@code graft.crash.runs} (default 2) runs per boundary; the benchmarks run more. The table of
 * runs, recoveries and recovery times is written to {@code target/crash-points.txt}.
 */
public class CrashPointIT {
    private static final int RUNS = Integer.getInteger("graft.crash.runs", 2);
    private static final long WAIT_SECONDS = 120;
    /** Where the update pauses: each step it reports, up to the last. */
    private static final List<String> BOUNDARIES = List.of("resolve", "install", "plan", "start", "activate", "rehearse",
            "swap", "retire");
    /** The framework and Graft's bundles, and the counter: what a clean restart finds installed. */
    private static final int BUNDLES = 13;

    private final Path repository = Paths.get(System.getProperty("graft.reactor.repo"));
    private final Path work = Paths.get(System.getProperty("graft.build.directory"), "crash-points");
    private final Random random = new Random();

    private record Outcome(String boundary, boolean offset, long offsetMillis, Map<String, String> found) {
    }

    @Test
    public void everyCrashPointRecoversToOneServingVersion() throws Exception {
        List<Outcome> outcomes = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        int run = 0;
        for (String boundary : BOUNDARIES) {
            for (int i = 0; i < RUNS; i++) {
                boolean offset = i % 2 == 1;
                long offsetMillis = offset ? random.nextInt(40) : 0L;
                Path storage = work.resolve("run-" + (++run));
                deleteRecursively(storage);
                crash(storage, boundary, offset, offsetMillis);
                Map<String, String> found = restart(storage);
                Outcome outcome = new Outcome(boundary, offset, offsetMillis, found);
                outcomes.add(outcome);
                String problem = problem(found);
                if (problem != null) {
                    problems.add("killed at " + boundary + (offset ? " + " + offsetMillis + " ms" : "") + " (" + storage + "): "
                            + problem + "; found " + found);
                }
            }
        }
        String table = table(outcomes, problems);
        Files.createDirectories(work);
        Files.writeString(work.resolveSibling("crash-points.txt"), table);
        System.out.println(table);
        assertTrue(String.join("\n", problems), problems.isEmpty());
    }

    /** Runs the update until the boundary (plus the offset) and kills the process there. */
    private void crash(Path storage, String boundary, boolean offset, long offsetMillis) throws Exception {
        Child child = Child.start(List.of("update", storage.toString(), repository.toString()));
        try {
            child.await("READY");
            child.send();
            for (;;) {
                String line = child.next();
                if (line.startsWith("DONE")) {
                    // the boundary came after the last step the update reported: kill it done
                    break;
                }
                if (!line.startsWith("STEP ")) {
                    continue;
                }
                String step = line.substring("STEP ".length());
                if (!step.equals(boundary)) {
                    child.send();
                    continue;
                }
                if (offset) {
                    child.send();
                    TimeUnit.MILLISECONDS.sleep(offsetMillis);
                }
                break;
            }
        } finally {
            child.kill();
        }
    }

    /** Starts the framework again on the storage and returns what it found. */
    private Map<String, String> restart(Path storage) throws Exception {
        Child child = Child.start(List.of("check", storage.toString(), repository.toString()));
        Map<String, String> found = new LinkedHashMap<>();
        try {
            for (;;) {
                String line = child.next();
                if (line.equals("CHECKED")) {
                    break;
                }
                if (line.startsWith("CHECK ")) {
                    String pair = line.substring("CHECK ".length());
                    int equals = pair.indexOf('=');
                    found.put(pair.substring(0, equals), pair.substring(equals + 1));
                }
            }
            assertEquals("the check ended: " + found, 0, child.waitForExit());
        } finally {
            child.kill();
        }
        return found;
    }

    /** What is wrong with what a restart found, or null. */
    private static String problem(Map<String, String> found) {
        List<String> history = found.get("history").isEmpty() ? List.of() : List.of(found.get("history").split(","));
        String last = history.isEmpty() ? "" : history.get(history.size() - 1);
        String expected = last.startsWith("SUCCEEDED") ? "2" : "1";
        if (history.stream().anyMatch(entry -> entry.startsWith("IN_PROGRESS"))) {
            return "a record is still in progress";
        }
        if (!found.get("counters").equals((expected.equals("2") ? "2.0.0" : "1.0.0") + "@ACTIVE")) {
            return "not exactly one counter, version " + expected + ", active: " + found.get("counters");
        }
        if (!found.get("serving").equals(expected)) {
            return "the proxy serves version " + found.get("serving") + ", the history says " + expected;
        }
        if (Integer.parseInt(found.get("bundles")) != BUNDLES) {
            return found.get("bundles") + " bundles installed, not " + BUNDLES + ": a staged or replaced version was left";
        }
        if (expected.equals("2") && !List.of(found.get("archive").split(",")).contains(CrashChild.COUNTER + "-1.0.0.jar")) {
            return "version 2 serves but the archive lacks the jar a rollback needs: " + found.get("archive");
        }
        if (!found.get("next").equals("SUCCEEDED,SUCCEEDED")) {
            return "the next update and rollback did not both succeed: " + found.get("nextMessages");
        }
        return null;
    }

    private static String table(List<Outcome> outcomes, List<String> problems) {
        StringBuilder text = new StringBuilder("Crash points: SIGKILL during an update of the sample counter, then a restart\n\n");
        text.append("| killed at | runs | recovered | history after restart | start to recovered, ms (median, max) |\n");
        text.append("|---|---|---|---|---|\n");
        Map<String, List<Outcome>> byBoundary = outcomes.stream()
                .collect(Collectors.groupingBy(o -> o.boundary() + (o.offset() ? " + 0-40 ms" : ""), LinkedHashMap::new, Collectors.toList()));
        for (Map.Entry<String, List<Outcome>> group : byBoundary.entrySet()) {
            List<Long> times = group.getValue().stream().map(o -> Long.parseLong(o.found().get("recoveryMillis"))).sorted().toList();
            long recovered = group.getValue().stream().filter(o -> problem(o.found()) == null).count();
            String histories = group.getValue().stream().map(o -> o.found().get("history").isEmpty() ? "none" : o.found().get("history"))
                    .distinct().collect(Collectors.joining("; "));
            text.append("| ").append(group.getKey()).append(" | ").append(group.getValue().size()).append(" | ").append(recovered)
                    .append(" | ").append(histories).append(" | ").append(times.get(times.size() / 2)).append(", ")
                    .append(times.get(times.size() - 1)).append(" |\n");
        }
        if (!problems.isEmpty()) {
            text.append("\nProblems:\n");
            problems.forEach(p -> text.append("- ").append(p).append('\n'));
        }
        return text.toString();
    }

    /** A {@link CrashChild} process: its protocol lines, its stdin. */
    private static final class Child {
        private final Process process;
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final Writer stdin;
        private final StringBuilder errors = new StringBuilder();

        private Child(Process process) {
            this.process = process;
            this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            Thread reader = new Thread(() -> {
                try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line = out.readLine(); line != null; line = out.readLine()) {
                        if (line.startsWith(CrashChild.PREFIX)) {
                            lines.add(line.substring(CrashChild.PREFIX.length()));
                        }
                    }
                } catch (IOException e) {
                    lines.add("EXIT reading its output failed: " + e);
                }
                lines.add("EXIT");
            }, "crash-child-output");
            reader.setDaemon(true);
            reader.start();
            Thread drainer = new Thread(() -> {
                try (BufferedReader err = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                    for (String line = err.readLine(); line != null; line = err.readLine()) {
                        synchronized (errors) {
                            // the last lines are what a failure needs
                            if (errors.length() > 20_000) {
                                errors.delete(0, 10_000);
                            }
                            errors.append(line).append('\n');
                        }
                    }
                } catch (IOException e) {
                    // the process is gone; what it wrote so far is kept
                }
            }, "crash-child-errors");
            drainer.setDaemon(true);
            drainer.start();
        }

        static Child start(List<String> arguments) throws IOException {
            String java = ProcessHandle.current().info().command().orElse("java");
            String classPath = location(ServiceLoader.load(FrameworkFactory.class).iterator().next().getClass()) + File.pathSeparator
                    + location(CrashChild.class);
            List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
                    "-cp", classPath, CrashChild.class.getName()));
            command.addAll(arguments);
            return new Child(new ProcessBuilder(command).start());
        }

        private static String location(Class<?> type) {
            try {
                return Paths.get(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
            } catch (URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        }

        String next() throws InterruptedException {
            String line = lines.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            if (line == null) {
                fail("the child said nothing for " + WAIT_SECONDS + " s; its last output:\n" + errors());
            }
            if (line.startsWith("EXIT")) {
                fail("the child ended (" + line + "); its last output:\n" + errors());
            }
            return line;
        }

        void await(String expected) throws InterruptedException {
            while (!next().equals(expected)) {
                // protocol lines before it are of no interest
            }
        }

        /** Lets the child go on from where it waits. */
        void send() throws IOException {
            stdin.write('\n');
            stdin.flush();
        }

        int waitForExit() throws InterruptedException {
            if (!process.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)) {
                fail("the child did not end; its last output:\n" + errors());
            }
            return process.exitValue();
        }

        private String errors() {
            synchronized (errors) {
                return errors.toString();
            }
        }

        /** SIGKILL: no shutdown hook, no framework stop, nothing flushed that was not on disk already. */
        void kill() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor(WAIT_SECONDS, TimeUnit.SECONDS);
        }
    }
}
