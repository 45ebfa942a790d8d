package org.graft.benchmarks.harness;

import java.lang.reflect.Method;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How long the sample counter's small updates hold calls, with the rehearsal before the hold and
 * without it (the transfer then runs cold, as every transfer did before the rehearsal existed), side by
 * side in one framework. The counter holds {@code graft.keys} (10) keys; each round runs the cycle
 * 1 -> 2 (transformer), 2 -> 3 (conversion), 3 -> 2 (conversion), 2 -> 1 (transformer, downgrade) with
 * one variant, the next round with the other, so that drift in the machine's load reaches both alike.
 * Callers call the counter nonstop through its proxy during every update, {@code graft.callers} of them
 * (a list: {@code 1,2,4,8}, one pass each). {@code graft.rounds} (30) rounds per variant and pass, after
 * {@code graft.warmup} (2) cycles of each that are not counted. Run from the project root.
 */
public final class SmallUpdateHoldHarness {
    private static final Path WORK = Paths.get("benchmarks", "target", "harness", "small-update");
    private static final String COUNTER = "org.graft.sample.counter";
    private static final String API = "org.graft.sample.api.CounterService";
    private static final String[][] CYCLE = {
        {"counter-v2", "1 -> 2, transformer"}, {"counter-v3", "2 -> 3, conversion"},
        {"counter-v2", "3 -> 2, conversion"}, {"counter-v1", "2 -> 1, transformer"},
    };

    private SmallUpdateHoldHarness() {
    }

    /** The figures of one kind of update, with one variant. */
    private static final class Sample {
        final List<Long> held = new ArrayList<>();
        final List<Long> transfer = new ArrayList<>();
        final List<Long> rehearse = new ArrayList<>();
        final LatencyHistogram during = new LatencyHistogram();
    }

    public static void main(String[] args) throws Exception {
        int keys = Integer.getInteger("graft.keys", 10);
        int rounds = Integer.getInteger("graft.rounds", 30);
        int warmUp = Integer.getInteger("graft.warmup", 2);
        System.out.printf(Locale.ROOT, "# SmallUpdateHoldHarness: %d keys, %d rounds per variant, callers %s, %d cpus, java %s%n", keys,
                rounds, System.getProperty("graft.callers", "1,2,4,8"), Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"));
        List<String> rows = new ArrayList<>();
        try (FelixRig rig = FelixRig.launch(WORK, "counter-v1")) {
            Object counter = rig.proxy(API);
            Method increment = FelixRig.method(counter, API, "increment", String.class);
            for (int i = 0; i < keys; i++) {
                increment.invoke(counter, "key-" + i);
            }
            for (String pass : System.getProperty("graft.callers", "1,2,4,8").split(",")) {
                int callers = Integer.parseInt(pass.trim());
                Map<String, Sample> samples = new LinkedHashMap<>();
                for (int round = -2 * warmUp; round < 2 * rounds; round++) {
                    // rehearsed first in even rounds, cold first in odd ones
                    boolean rehearse = Math.floorMod(round, 2) == 0;
                    for (String[] step : CYCLE) {
                        Object report = measure(rig, counter, increment, callers, step[0], rehearse, round >= 0
                                ? samples.computeIfAbsent(step[1] + "|" + rehearse, k -> new Sample()) : null);
                        if (round < 0) {
                            System.out.printf(Locale.ROOT, "warm-up %s rehearse=%s: held %d us%n", step[1], rehearse,
                                    FelixRig.timing(report, "heldMicros"));
                        }
                    }
                    if ((Long) FelixRig.method(counter, API, "get", String.class).invoke(counter, "key-" + (keys - 1)) != 1L) {
                        throw new IllegalStateException("the state did not survive round " + round);
                    }
                }
                for (String[] step : CYCLE) {
                    for (boolean rehearse : new boolean[] {true, false}) {
                        rows.add(row(callers, step[1], rehearse, samples.get(step[1] + "|" + rehearse)));
                    }
                }
            }
        }
        System.out.println("\n## small updates: the sample counter (" + keys + " keys), rehearsed vs cold, interleaved round by round\n");
        System.out.println("| callers | update | rehearsal | n | held us p50 / p99 / max | transfer us p50 / p99 | rehearse step ms p50 "
                + "| call us p99 / max during | calls > 1 ms during |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        rows.forEach(System.out::println);
    }

    private static Object measure(FelixRig rig, Object counter, Method increment, int callers, String to, boolean rehearse, Sample sample)
            throws Exception {
        String[] hot = new String[callers];
        for (int t = 0; t < callers; t++) {
            hot[t] = "hot-" + t;
        }
        CallerLoad load = new CallerLoad(callers, 5_000, counter, increment, (t, n) -> new Object[] {hot[t]});
        load.start();
        Object report;
        try {
            load.openWindow();
            report = rig.update(COUNTER, to, rehearse);
            load.closeWindow();
        } finally {
            load.stop();
        }
        StringBuilder steps = new StringBuilder();
        for (Object step : (List<?>) FelixRig.field(report, "steps")) {
            steps.append(' ').append(FelixRig.field(step, "name")).append(' ').append(FelixRig.field(step, "durationMicros"));
        }
        System.out.printf(Locale.ROOT, "%s rehearse=%s callers %d: held %d us; convert %d us; steps (us):%s%n", to, rehearse, callers,
                FelixRig.timing(report, "heldMicros"), FelixRig.timing(report, "convertMicros"), steps);
        if (sample != null) {
            sample.held.add(FelixRig.timing(report, "heldMicros"));
            sample.transfer.add(FelixRig.timing(report, "transferMicros"));
            for (Object step : (List<?>) FelixRig.field(report, "steps")) {
                if ("rehearse".equals(FelixRig.field(step, "name"))) {
                    sample.rehearse.add((Long) FelixRig.field(step, "durationMicros"));
                }
            }
            sample.during.add(load.during());
        }
        return report;
    }

    private static String row(int callers, String update, boolean rehearse, Sample sample) {
        return String.format(Locale.ROOT, "| %d | %s | %s | %d | %d / %d / %d | %d / %d | %s | %.1f / %.1f | %d |", callers, update,
                rehearse ? "rehearsed" : "cold (no rehearsal)", sample.held.size(), quantile(sample.held, 0.5),
                quantile(sample.held, 0.99), quantile(sample.held, 1.0), quantile(sample.transfer, 0.5), quantile(sample.transfer, 0.99),
                sample.rehearse.isEmpty() ? "-" : String.format(Locale.ROOT, "%.2f", quantile(sample.rehearse, 0.5) / 1000.0),
                sample.during.percentile(0.99) / 1000.0, sample.during.max() / 1000.0, sample.during.countAbove(1_000_000));
    }

    /** Nearest-rank quantile. */
    private static long quantile(List<Long> values, double q) {
        long[] sorted = values.stream().mapToLong(Long::longValue).sorted().toArray();
        return sorted[(int) Math.max(0, Math.ceil(q * sorted.length) - 1)];
    }
}
