package org.graft.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.graft.sample.api.CounterService;
import org.graft.update.UpdateManager;
import org.graft.update.dto.UpdateReportDTO;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.ExamFactory;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.karaf.container.internal.KarafTestContainerFactory;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * The {@code dsu:*} commands in the distribution, with the samples installed: dry run, update, list,
 * history, status, rollback, and the one-line errors. One Karaf for the class: every test leaves the
 * counter at 1.0.0 and compares what it changes with what it found, so the order does not matter.
 */
@RunWith(PaxExam.class)
@ExamFactory(KarafTestContainerFactory.class)
@ExamReactorStrategy(PerClass.class)
public class KarafCommandsIT extends KarafTestSupport {
    private static final String COUNTER = "org.graft.sample.counter";
    /** A step line of ReportFormat.step: two spaces, the name, the status, the duration. */
    private static final Pattern STEP = Pattern.compile("^  (\\w+)\\s+(OK|FAILED|RUNNING)\\s+\\S+ \\S+.*$");

    /*
     * No field, parameter or return type of this class names a type of the samples or of Graft: JUnit
     * reflects on the class before @Before installs the samples, and the probe could not load them yet.
     * Such services are held in local variables.
     */

    @Before
    public void samples() throws Exception {
        installSamples();
        assertEquals("every test starts (and ends) with the counter at 1.0.0", "1.0.0", listedVersion(COUNTER));
    }

    @Test
    public void dryRunPrintsThePlanAndTheRefusalNamingTheDroppedField() throws Exception {
        UpdateManager updateManager = awaitService(UpdateManager.class, null);
        CounterService counter = awaitService(CounterService.class, null);
        int historyBefore = updateManager.history().size();
        // Karaf's parser takes options only before the arguments: "dsu:update <bundle> --dry-run <url>"
        // fails with "Too many arguments specified"
        String output = execute("dsu:update --dry-run " + COUNTER + " " + Fixtures.url("counter-v2-drops-field"));

        assertTrue(output, output.contains("Plan (drain), running -> new: " + COUNTER + " 1.0.0 -> 2.0.0"));
        assertTrue("the plan lists the counter service: " + output, output.contains("  service " + COUNTER + " "));
        assertTrue("the dropped field is REFUSED in the plan: " + output,
                Pattern.compile("(?m)^    operations\\s+REFUSED\\b").matcher(output).find());
        assertTrue("the kept field is handed over: " + output,
                Pattern.compile("(?m)^    counts\\s+HANDED_OVER\\b").matcher(output).find());
        assertTrue("a refusal line names the field: " + output,
                Pattern.compile("(?m)^Refused: .*'operations'").matcher(output).find());
        assertFalse(output, output.contains("Nothing refused"));
        // a dry run changes nothing
        assertEquals("1.0.0", listedVersion(COUNTER));
        assertEquals("1", counter.version());
        assertEquals("a dry run is not an update in the history", historyBefore, updateManager.history().size());
    }

    @Test
    public void updateListHistoryStatusAndRollback() throws Exception {
        UpdateManager updateManager = awaitService(UpdateManager.class, null);
        CounterService counter = awaitService(CounterService.class, null);
        long before = counter.increment("commands");
        int succeededBefore = historyRows("SUCCEEDED").size();

        // --drain-timeout, not -t: in Karaf's commands -t means "simulate"
        String output = execute("dsu:update --drain-timeout 5000 " + COUNTER + " " + sampleUrl("counter-v2"));
        List<String> steps = steps(output, "OK");
        assertInOrder(output, steps, "resolve", "install", "plan", "start", "activate", "hold", "drain", "transfer", "swap",
                "retire");
        assertTrue(output, Pattern.compile("(?m)^calls held .*, drain .*, state transfer .*, total .*$").matcher(output).find());
        assertTrue(output, Pattern.compile("(?m)^Update \\d+ SUCCEEDED: ").matcher(output).find());
        long id = updateId(output, "SUCCEEDED");

        assertEquals("2.0.0", listedVersion(COUNTER));
        assertEquals("2", counter.version());
        assertEquals("the state came over", before + 1, counter.increment("commands"));

        List<String> succeeded = historyRows("SUCCEEDED");
        assertEquals("dsu:history has one SUCCEEDED row more: " + succeeded, succeededBefore + 1, succeeded.size());
        String row = succeeded.get(succeeded.size() - 1);
        assertTrue(row, row.matches("\\s*" + id + "\\s.*"));
        assertTrue(row, row.matches(".*\\supdate\\s.*"));
        assertTrue(row, row.contains(COUNTER + " 1.0.0 -> 2.0.0"));
        assertTrue("--no-format gives held and total as raw microseconds: " + row, row.matches(".*\\s\\d+\\s+\\d+\\s*$"));

        String status = execute("dsu:status");
        assertTrue(status, status.startsWith("Update " + id + " (started "));
        assertTrue(status, status.lines().findFirst().get().endsWith("): SUCCEEDED"));
        assertTrue(status, status.contains("  " + COUNTER + " 1.0.0 -> 2.0.0"));
        assertEquals("dsu:status shows the same steps the update printed: " + status, steps, steps(status, "OK"));
        assertTrue("the report says who asked, through which channel: " + status,
                status.contains("Asked through shell by graft-itest"));

        List<String> rows = new ArrayList<>();
        for (String line : execute("dsu:list --no-format").split("\\R")) {
            if (line.startsWith("org.graft.")) {
                rows.add(line);
            }
        }
        List<String> sorted = new ArrayList<>(rows);
        java.util.Collections.sort(sorted);
        assertEquals("dsu:list is sorted by service", sorted, rows);
        String counterRow = rows.stream().filter(listed -> listed.startsWith(COUNTER + " ") || listed.startsWith(COUNTER + "\t"))
                .findFirst().orElseThrow(() -> new AssertionError("dsu:list has no " + COUNTER + ": " + rows));
        assertTrue("the last update as a time and its id: " + counterRow,
                counterRow.matches(".*\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d \\(update " + id + "\\)\\s*$"));

        String one = execute("dsu:history " + id);
        assertTrue(one, one.startsWith("Update " + id + " (started "));
        assertEquals("dsu:history <id> shows the report in full: " + one, steps, steps(one, "OK"));
        String unknown = failure("dsu:history 999999");
        assertTrue(unknown, unknown.contains("no update 999999 in the history"));

        String rollback = execute("dsu:rollback " + COUNTER);
        assertTrue("it names the versions: " + rollback, rollback.contains("Rolling back " + COUNTER + " 2.0.0 to the version it had"
                + " before its last update, 1.0.0"));
        assertInOrder(rollback, steps(rollback, "OK"), "resolve", "install", "plan", "hold", "transfer", "swap", "retire");
        assertTrue(rollback, Pattern.compile("(?m)^Rollback \\d+ SUCCEEDED: rolled back ").matcher(rollback).find());
        long rollbackId = reportId(rollback, "Rollback", "SUCCEEDED");
        assertTrue(rollbackId > id);
        assertEquals("1.0.0", listedVersion(COUNTER));
        assertEquals("1", counter.version());
        assertEquals("the state came back down", before + 2, counter.increment("commands"));
        List<String> afterRollback = historyRows("SUCCEEDED");
        String last = afterRollback.get(afterRollback.size() - 1);
        assertTrue(last, last.matches(".*\\srollback\\s.*"));
        assertTrue(last, last.contains(COUNTER + " 2.0.0 -> 1.0.0"));
        String statusAfter = execute("dsu:status");
        assertTrue(statusAfter, statusAfter.startsWith("Rollback " + rollbackId + " (started "));
    }

    @Test
    public void anUnknownBundleFailsWithOneLineNamingIt() throws Exception {
        UpdateManager updateManager = awaitService(UpdateManager.class, null);
        CounterService counter = awaitService(CounterService.class, null);
        int historyBefore = updateManager.history().size();
        String message = failure("dsu:update no.such.bundle " + sampleUrl("counter-v2"));
        assertTrue(message, message.startsWith("Update REFUSED: "));
        assertTrue(message, message.contains("Bundle no.such.bundle does not match any installed bundle"));
        assertFalse("the outcome is said once: " + message, message.contains("REFUSED: refused"));
        assertEquals("1.0.0", listedVersion(COUNTER));
        assertEquals("1", counter.version());
        assertEquals("simply invalid input leaves no record in the history", historyBefore, updateManager.history().size());
    }

    @Test
    public void aTimeoutThatCannotWorkIsRejectedBeforeAnythingRuns() throws Exception {
        UpdateManager updateManager = awaitService(UpdateManager.class, null);
        int historyBefore = updateManager.history().size();
        String message = failure("dsu:update --transfer-timeout 0 " + COUNTER + " " + sampleUrl("counter-v2"));
        assertTrue(message, message.startsWith("Update REFUSED: the transfer timeout (--transfer-timeout) must be a positive"
                + " number of ms, not 0"));
        assertEquals("1.0.0", listedVersion(COUNTER));
        assertEquals("simply invalid input leaves no record in the history", historyBefore, updateManager.history().size());
    }

    @Test
    public void aMissingJarFailsWithOneLineNamingTheFile() throws Exception {
        UpdateManager updateManager = awaitService(UpdateManager.class, null);
        CounterService counter = awaitService(CounterService.class, null);
        int historyBefore = updateManager.history().size();
        String message = failure("dsu:update " + COUNTER + " file:/no/such.jar");
        assertTrue(message, message.startsWith("Update REFUSED: "));
        assertTrue(message, message.contains("file:/no/such.jar"));
        assertEquals("1.0.0", listedVersion(COUNTER));
        assertEquals("1", counter.version());
        assertEquals("simply invalid input leaves no record in the history", historyBefore, updateManager.history().size());
    }

    @Test
    public void aFailingUpdateFailsWithItsCauseAndChangesNothing() throws Exception {
        UpdateManager updateManager = awaitService(UpdateManager.class, null);
        CounterService counter = awaitService(CounterService.class, null);
        long before = counter.increment("failing");
        String message = failure("dsu:update " + COUNTER + " " + Fixtures.url("counter-v2-throwing-transformer"));
        assertTrue("found before any call was held: " + message, message.contains("calls were never held"));
        assertTrue(message, message.matches("Update \\d+ FAILED: .*"));
        assertTrue(message, message.contains("sample transformer fails on purpose"));
        assertEquals("1.0.0", listedVersion(COUNTER));
        assertEquals("1", counter.version());
        assertEquals("the old state is untouched", before + 1, counter.increment("failing"));
        UpdateReportDTO last = updateManager.history().get(updateManager.history().size() - 1);
        assertEquals(UpdateReportDTO.FAILED, last.outcome);
        assertEquals("rehearse", last.failedStep);
        String status = execute("dsu:status");
        assertTrue(status, status.lines().findFirst().get().endsWith("): FAILED at step rehearse"));
    }

    @Test
    public void whileCallsAreHeldALiveLineAndDsuStatusSayForHowLongAndWhichStepRuns() throws Exception {
        UpdateManager updateManager = awaitService(UpdateManager.class, null);
        CounterService counter = awaitService(CounterService.class, null);
        long before = counter.increment("held");
        // the transformer hangs, so calls stay held until the transfer timeout, 2 s (without the rehearsal,
        // which would find it before holding any call)
        BackgroundCommand update = new BackgroundCommand("dsu:update --no-rehearsal --transfer-timeout 2000 " + COUNTER + " "
                + Fixtures.url("counter-v2-hanging-transformer"));
        try {
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
            poll("calls are held for 300 ms in the transfer", () -> heldInTransfer(updateManager, 300_000L), deadline);
            String status = execute("dsu:status");
            assertTrue("dsu:status shows the update running: " + status, status.lines().findFirst().get().endsWith("): IN_PROGRESS"));
            assertTrue("dsu:status shows the running step with its time so far: " + status,
                    Pattern.compile("(?m)^  transfer\\s+RUNNING\\s+\\d+(\\.\\d+)? (ms|s)").matcher(status).find());
            assertTrue("dsu:status shows for how long calls are held, against the step's timeout: " + status,
                    Pattern.compile("(?m)^calls held \\d+(\\.\\d+)? (ms|s) so far; step transfer running .* of its 2.00 s timeout$")
                            .matcher(status).find());
            poll("the update ends", update::done, deadline);
        } finally {
            update.close();
        }
        String output = update.output();
        System.out.println("dsu:update with calls held 2 s printed:\n" + output + update.failure());
        assertTrue("the update failed: " + output, update.failure() != null && update.failure().getMessage().contains("FAILED"));
        assertTrue("while calls were held, the command printed a live line: " + output,
                Pattern.compile("(?m)^  \\.\\.\\. calls held \\d+(\\.\\d+)? (ms|s) so far; step transfer running .* of its 2.00 s timeout$")
                        .matcher(output).find());
        assertTrue("the timings count the hold until the abort released the calls: " + output,
                Pattern.compile("(?m)^calls held [2-9]\\.\\d\\d s, ").matcher(output).find());
        assertEquals("1", counter.version());
        assertEquals("the old state is untouched", before + 1, counter.increment("held"));
    }

    @Test
    public void ctrlCSaysThatTheUpdateGoesOnAndHowToFollowIt() throws Exception {
        UpdateManager updateManager = awaitService(UpdateManager.class, null);
        BackgroundCommand update = new BackgroundCommand("dsu:update --no-rehearsal --transfer-timeout 2000 " + COUNTER + " "
                + Fixtures.url("counter-v2-hanging-transformer"));
        long id;
        try {
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
            poll("calls are held in the transfer", () -> heldInTransfer(updateManager, 1L), deadline);
            id = updateManager.status().id;
            // what Karaf's console does on Ctrl-C: it interrupts the thread running the command
            update.interruptCommandThread();
            poll("the command returns", update::done, deadline);
            assertEquals("the update goes on after the command returned", UpdateReportDTO.IN_PROGRESS, updateManager.status().outcome);
            poll("the update ends by its transfer timeout", () -> !UpdateReportDTO.IN_PROGRESS.equals(updateManager.status().outcome),
                    deadline);
        } finally {
            update.close();
        }
        String output = update.output();
        assertTrue("Ctrl-C returns without an error: " + update.failure(), update.failure() == null);
        assertTrue("Ctrl-C says the update goes on, and how to follow it: " + output, output.contains("Interrupted: update " + id
                + " goes on (it is not stopped half-way: its timeouts bound it); follow it with dsu:status, and dsu:history " + id));
        assertEquals("the update ended by itself", UpdateReportDTO.FAILED, updateManager.status().outcome);
        assertEquals("1.0.0", listedVersion(COUNTER));
    }

    @Test
    public void strategyValuesAndFileUrlsComplete() throws Exception {
        List<String> strategies = completions("dsu:update", "-s", "");
        assertTrue("--strategy completes its values: " + strategies, strategies.containsAll(List.of("drain", "coexist")));
        List<String> bundles = completions("dsu:update", "org.graft.sample.c");
        assertTrue("the bundle completes on the managed bundles: " + bundles, bundles.contains(COUNTER));
        java.nio.file.Path jar = sampleJar("counter-v2");
        String folder = "file:" + jar.getParent() + "/";
        List<String> urls = completions("dsu:update", COUNTER, folder + "counter-v");
        assertTrue("the url completes file: URLs: " + urls, urls.contains(folder + jar.getFileName()));
    }

    /** Whether the running update holds calls in its transfer step, for at least {@code micros}. */
    private static boolean heldInTransfer(UpdateManager updateManager, long micros) {
        UpdateReportDTO status = updateManager.status();
        return status != null && UpdateReportDTO.IN_PROGRESS.equals(status.outcome) && status.callsHeld
                && status.timings.heldMicros >= micros && status.steps.stream()
                        .anyMatch(step -> "transfer".equals(step.name) && "RUNNING".equals(step.status));
    }

    /** What Karaf's completer offers for the last of {@code words} (the command first), as the console asks it. */
    private List<String> completions(String... words) throws Exception {
        String name = words[0];
        org.apache.karaf.shell.api.console.Command command = javax.security.auth.Subject.doAs(ADMIN,
                (java.security.PrivilegedAction<org.apache.karaf.shell.api.console.Command>) () -> sessionFactory.getRegistry()
                        .getCommands().stream().filter(known -> (known.getScope() + ":" + known.getName()).equals(name))
                        .findFirst().orElseThrow(() -> new AssertionError("no command " + name)));
        String buffer = String.join(" ", words);
        org.apache.karaf.shell.api.console.CommandLine line = new org.apache.karaf.shell.api.console.CommandLine() {
            @Override
            public int getCursorArgumentIndex() {
                return words.length - 1;
            }

            @Override
            public String getCursorArgument() {
                return words[words.length - 1];
            }

            @Override
            public int getArgumentPosition() {
                return words[words.length - 1].length();
            }

            @Override
            public String[] getArguments() {
                return words;
            }

            @Override
            public int getBufferPosition() {
                return buffer.length();
            }

            @Override
            public String getBuffer() {
                return buffer;
            }
        };
        List<org.apache.karaf.shell.api.console.Candidate> candidates = new ArrayList<>();
        org.apache.karaf.shell.api.console.Session session = sessionFactory.create(new java.io.ByteArrayInputStream(new byte[0]),
                System.out, System.err);
        try {
            javax.security.auth.Subject.doAs(ADMIN, (java.security.PrivilegedAction<Void>) () -> {
                command.getCompleter(true).completeCandidates(session, line, candidates);
                return null;
            });
        } finally {
            session.close();
        }
        List<String> values = new ArrayList<>();
        candidates.forEach(candidate -> values.add(candidate.value()));
        return values;
    }

    /** The Version column of dsu:list for a bundle (columns: Service, Bundle, Id, Version, ...). */
    private String listedVersion(String bundle) throws Exception {
        String list = execute("dsu:list --no-format");
        String version = null;
        for (String line : list.split("\\R")) {
            String[] columns = line.trim().split("\\s+");
            if (columns.length >= 4 && bundle.equals(columns[1])) {
                assertTrue("one managed service of " + bundle + ": " + list, version == null);
                version = columns[3];
            }
        }
        assertTrue("dsu:list shows " + bundle + ": " + list, version != null);
        return version;
    }

    /** dsu:history's rows with an outcome, oldest first. */
    private List<String> historyRows(String outcome) throws Exception {
        List<String> rows = new ArrayList<>();
        for (String line : execute("dsu:history --no-format").split("\\R")) {
            if (Pattern.compile("\\s" + outcome + "\\s").matcher(line).find()) {
                rows.add(line);
            }
        }
        return rows;
    }

    /** The step names printed, in order; each must have the given status. */
    private static List<String> steps(String output, String status) {
        List<String> names = new ArrayList<>();
        for (String line : output.split("\\R")) {
            Matcher step = STEP.matcher(line);
            if (step.matches()) {
                assertEquals("step " + step.group(1) + ": " + output, status, step.group(2));
                names.add(step.group(1));
            }
        }
        return names;
    }

    private static void assertInOrder(String output, List<String> steps, String... expected) {
        int at = -1;
        for (String name : expected) {
            int index = steps.indexOf(name);
            assertTrue("step " + name + " printed after the steps before it: " + steps + "\n" + output, index > at);
            at = index;
        }
    }

    private static long updateId(String output, String outcome) {
        return reportId(output, "Update", outcome);
    }

    /** The id in the line "{@code kind} N {@code outcome}: ..." that a changing command prints last. */
    private static long reportId(String output, String kind, String outcome) {
        Matcher matcher = Pattern.compile("(?m)^" + kind + " (\\d+) " + outcome + ": ").matcher(output);
        assertTrue(output, matcher.find());
        return Long.parseLong(matcher.group(1));
    }
}
