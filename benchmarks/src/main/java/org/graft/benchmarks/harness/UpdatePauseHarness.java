package org.graft.benchmarks.harness;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * How long an update holds calls, and what callers see, as the state grows. In a real Felix
 * framework, with {@code graft.callers} (4; a list such as {@code 4,1} runs one pass per count, side by side) threads calling the service nonstop:
 *
 * <ul>
 * <li><b>hand-over</b>: catalog 1 -> 2 -> 1 -> ... in one framework per size; the state is a
 * {@code ConcurrentHashMap<String,String>} handed over by reference. Size = sum over entries of
 * (key chars + value chars) * 2 bytes, counted on the live map.</li>
 * <li><b>conversion</b>: counter 2 -> 3 -> 2 -> ... in one framework; the state is a
 * {@code ConcurrentHashMap<String,Tally>} whose tallies are converted field by field through Jackson
 * (long count to BigInteger, and back: the values fit, so the default mapping loses nothing). Size = byte
 * length of the state ({@code tallies} and {@code operations}) written as JSON with the container's
 * visibility settings (fields only), reached with one increment per key. MB/s = size / transferMicros.</li>
 * </ul>
 *
 * Each framework first runs {@code graft.warmup} (2) updates that are logged but not counted. System
 * properties: {@code graft.sizes} (default {@code 1KB,1MB,10MB,100MB}), {@code graft.handover.reps} (10),
 * {@code graft.convert.reps} (6, half each way), {@code graft.callers} (4; a list such as {@code 4,1} runs one pass per count, side by side), {@code graft.only}
 * ({@code handover} or {@code convert}). Run from the project root (see benchmarks/README.md).
 */
public final class UpdatePauseHarness {
    private static final Path WORK = Paths.get("benchmarks", "target", "harness");
    /** The caller threads of the pass that runs (graft.callers: a comma-separated list, one pass each). */
    private static int callers;
    /** Updates run before the measured ones in each framework (class loading, JIT), logged but not counted. */
    private static final int WARM_UP = Integer.getInteger("graft.warmup", 2);

    private UpdatePauseHarness() {
    }

    /** One update's figures. */
    private static final class Run {
        /** The update's report (an UpdateReportDTO of the framework's, read reflectively). */
        Object report;
        long held;
        long drain;
        long transfer;
        long total;
        long wallMicros;
        LatencyHistogram before;
        LatencyHistogram during;
        /** The durations of the steps while calls are held, e.g. "hold 12 drain 3 ...". */
        String heldSteps;
    }

    public static void main(String[] args) throws Exception {
        String only = System.getProperty("graft.only", "");
        List<Long> sizes = new ArrayList<>();
        for (String size : System.getProperty("graft.sizes", "1KB,1MB,10MB,100MB").split(",")) {
            sizes.add(parseSize(size.trim()));
        }
        System.out.printf(Locale.ROOT, "# UpdatePauseHarness: callers %s, %d cpus, java %s, max heap %d MB%n",
                System.getProperty("graft.callers", "4"),
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                Runtime.getRuntime().maxMemory() >> 20);
        List<String> handoverRows = new ArrayList<>();
        List<String> convertRows = new ArrayList<>();
        for (String pass : System.getProperty("graft.callers", "4").split(",")) {
            callers = Integer.parseInt(pass.trim());
            for (long size : sizes) {
                if (!only.equals("convert")) {
                    handoverRows.add(handOver(size, Integer.getInteger("graft.handover.reps", 10)));
                }
                if (!only.equals("handover")) {
                    convertRows.addAll(convert(size, Integer.getInteger("graft.convert.reps", 6)));
                }
            }
        }
        String header = "| callers | state | bytes | reps | held us p50 / p99 / max | drain us p50 / max | transfer us p50 / max "
                + "| total ms p50 / max | calls during update | call us p50 / p99 / max during | call us p50 / p99 / max before | calls > 1 ms during / before |";
        String rule = "|---|---|---|---|---|---|---|---|---|---|---|---|";
        if (!handoverRows.isEmpty()) {
            System.out.println("\n## hand-over by reference: catalog 1 <-> 2\n");
            System.out.println(header);
            System.out.println(rule);
            handoverRows.forEach(System.out::println);
        }
        if (!convertRows.isEmpty()) {
            System.out.println("\n## conversion: counter 2 -> 3 and 3 -> 2, alternating (MB = 10^6 bytes)\n");
            System.out.println(header + " MB/s p50 / min |");
            System.out.println(rule + "---|");
            convertRows.forEach(System.out::println);
        }
    }

    private static String handOver(long targetBytes, int reps) throws Exception {
        try (FelixRig rig = FelixRig.launch(WORK.resolve("handover-" + targetBytes), "catalog-v1")) {
            Object catalog = rig.proxy("org.graft.sample.api.Catalog");
            String api = "org.graft.sample.api.Catalog";
            String prefix = "catalog-entry-";
            int count = entriesFor(prefix, targetBytes);
            Method put = FelixRig.method(catalog, api, "put", String.class, String.class);
            long bytes = 0;
            for (int i = 0; i < count; i++) {
                String key = prefix + i;
                String value = "v" + i;
                put.invoke(catalog, key, value);
                bytes += 2L * (key.length() + value.length());
            }
            String[] keys = new String[1024];
            for (int i = 0; i < keys.length; i++) {
                keys[i] = prefix + (i % count);
            }
            Method get = FelixRig.method(catalog, api, "get", String.class);
            List<Run> runs = new ArrayList<>();
            for (int rep = -WARM_UP; rep < reps; rep++) {
                String to = (rep + WARM_UP) % 2 == 0 ? "catalog-v2" : "catalog-v1";
                Run run = measure(rig, catalog, get, (t, n) -> new Object[] {keys[(int) ((n + t * 256) & 1023)]},
                        "org.graft.sample.catalog", to);
                if (!handedOverOnly(run.report)) {
                    throw new IllegalStateException("the map was not handed over by reference: " + FelixRig.field(run.report, "plan"));
                }
                log("hand-over to " + to, bytes, rep, run, -1);
                if (rep >= 0) {
                    runs.add(run);
                }
            }
            return row(bytes, runs, false);
        }
    }

    private static List<String> convert(long targetBytes, int reps) throws Exception {
        try (FelixRig rig = FelixRig.launch(WORK.resolve("convert-" + targetBytes), "counter-v2")) {
            String api = "org.graft.sample.api.CounterService";
            Object counter = rig.proxy(api);
            Method increment = FelixRig.method(counter, api, "increment", String.class);
            String prefix = "counter-key-";
            // one increment per key: fill, measure the JSON, extrapolate, until the state is big enough
            long count = 0;
            long target = 10;
            long bytes = 0;
            while (bytes < targetBytes) {
                for (long i = count; i < target; i++) {
                    increment.invoke(counter, prefix + i);
                }
                count = target;
                bytes = jsonBytes(rig.implementation(api));
                target = Math.max(count + 1, (long) Math.ceil(count * (double) targetBytes / bytes));
            }
            String[] hot = new String[callers];
            for (int t = 0; t < callers; t++) {
                hot[t] = "hot-" + t;
            }
            List<Run> up = new ArrayList<>();
            List<Run> down = new ArrayList<>();
            for (int rep = -WARM_UP; rep < reps; rep++) {
                boolean toV3 = (rep + WARM_UP) % 2 == 0;
                Run run = measure(rig, counter, increment, (t, n) -> new Object[] {hot[t]}, "org.graft.sample.counter",
                        toV3 ? "counter-v3" : "counter-v2");
                String version = (String) FelixRig.method(counter, api, "version").invoke(counter);
                if (!version.equals(toV3 ? "3" : "2") || (Long) FelixRig.method(counter, api, "get", String.class)
                        .invoke(counter, prefix + (count - 1)) != 1L) {
                    throw new IllegalStateException("the state did not arrive (version " + version + ")");
                }
                log(toV3 ? "conversion 2 -> 3" : "conversion 3 -> 2", bytes, rep, run, mbPerSecond(bytes, run.transfer));
                if (rep >= 0) {
                    (toV3 ? up : down).add(run);
                }
            }
            List<String> rows = new ArrayList<>();
            rows.add(row(bytes, up, true).replaceFirst("\\| ([0-9]+) \\| ", "| $1 | 2 -> 3, "));
            if (!down.isEmpty()) {
                rows.add(row(bytes, down, true).replaceFirst("\\| ([0-9]+) \\| ", "| $1 | 3 -> 2, "));
            }
            return rows;
        }
    }

    /** One update under load: callers warm up, the window opens, the update runs, the window closes. */
    private static Run measure(FelixRig rig, Object service, Method method, CallerLoad.Arguments arguments,
            String symbolicName, String to) throws Exception {
        // a full GC now rather than inside the window (the state was just built)
        System.gc();
        // callers = 0: no load (the latency columns are then empty)
        CallerLoad load = new CallerLoad(callers, 20_000, service, method, arguments);
        load.start();
        Object report;
        long start;
        long end;
        try {
            load.openWindow();
            start = System.nanoTime();
            report = rig.update(symbolicName, to);
            end = System.nanoTime();
            load.closeWindow();
        } finally {
            load.stop();
        }
        Run run = new Run();
        run.report = report;
        run.held = FelixRig.timing(report, "heldMicros");
        run.drain = FelixRig.timing(report, "drainMicros");
        run.transfer = FelixRig.timing(report, "transferMicros");
        run.total = FelixRig.timing(report, "totalMicros");
        run.wallMicros = (end - start) / 1000;
        StringBuilder steps = new StringBuilder();
        for (Object step : (List<?>) FelixRig.field(report, "steps")) {
            String name = (String) FelixRig.field(step, "name");
            if (List.of("hold", "drain", "suspend", "transfer", "resume", "swap").contains(name)) {
                steps.append(steps.length() == 0 ? "" : ", ").append(name).append(' ').append(FelixRig.field(step, "durationMicros"));
            }
        }
        run.heldSteps = steps.toString();
        run.before = load.before();
        run.during = load.during();
        return run;
    }

    /** Whether the report's plan hands every state entry over by reference (nothing converted or copied). */
    private static boolean handedOverOnly(Object report) throws Exception {
        boolean any = false;
        for (Object service : (List<?>) FelixRig.field(FelixRig.field(report, "plan"), "services")) {
            for (Object entry : (List<?>) FelixRig.field(service, "state")) {
                any = true;
                if (!"HANDED_OVER".equals(FelixRig.field(entry, "action"))) {
                    return false;
                }
            }
        }
        return any;
    }

    private static void log(String kind, long bytes, int rep, Run run, double mbps) {
        System.out.printf(Locale.ROOT, "%s %d B rep %d: held %d us (steps, us: %s), %d callers, drain %d us, transfer %d us, total %d us (wall %d us);"
                + " %d calls during, p50 %.2f us p99 %.2f us max %.1f us; before p50 %.2f us p99 %.2f us%s%n", kind, bytes, rep,
                run.held, run.heldSteps, callers, run.drain, run.transfer, run.total, run.wallMicros, run.during.count(),
                us(run.during.percentile(0.5)), us(run.during.percentile(0.99)), us(run.during.max()),
                us(run.before.percentile(0.5)), us(run.before.percentile(0.99)),
                mbps < 0 ? "" : String.format(Locale.ROOT, "; %.1f MB/s", mbps));
    }

    private static String row(long bytes, List<Run> runs, boolean conversion) {
        LatencyHistogram held = new LatencyHistogram();
        LatencyHistogram drain = new LatencyHistogram();
        LatencyHistogram transfer = new LatencyHistogram();
        LatencyHistogram total = new LatencyHistogram();
        LatencyHistogram during = new LatencyHistogram();
        LatencyHistogram before = new LatencyHistogram();
        List<Double> rates = new ArrayList<>();
        for (Run run : runs) {
            held.record(run.held);
            drain.record(run.drain);
            transfer.record(run.transfer);
            total.record(run.total);
            during.add(run.during);
            before.add(run.before);
            rates.add(mbPerSecond(bytes, run.transfer));
        }
        String row = String.format(Locale.ROOT,
                "| %d | %s | %d | %d | %d / %d / %d | %d / %d | %d / %d | %.1f / %.1f | %d | %.2f / %.2f / %.1f | %.2f / %.2f / %.1f | %d / %d |",
                callers, human(bytes), bytes, runs.size(), exact(runs, r -> r.held, 0.5), exact(runs, r -> r.held, 0.99),
                held.max(), exact(runs, r -> r.drain, 0.5), drain.max(), exact(runs, r -> r.transfer, 0.5), transfer.max(),
                exact(runs, r -> r.total, 0.5) / 1000.0, total.max() / 1000.0, during.count(),
                us(during.percentile(0.5)), us(during.percentile(0.99)), us(during.max()), us(before.percentile(0.5)),
                us(before.percentile(0.99)), us(before.max()), during.countAbove(1_000_000), before.countAbove(1_000_000));
        if (conversion) {
            rates.sort(null);
            row += String.format(Locale.ROOT, " %.1f / %.1f |", rates.get((rates.size() - 1) / 2), rates.get(0));
        }
        return row;
    }

    /** Exact quantile (nearest rank) of a per-run figure over the runs. */
    private static long exact(List<Run> runs, java.util.function.ToLongFunction<Run> figure, double q) {
        long[] values = runs.stream().mapToLong(figure).sorted().toArray();
        return values[(int) Math.max(0, Math.ceil(q * values.length) - 1)];
    }

    private static double mbPerSecond(long bytes, long micros) {
        return micros == 0 ? Double.NaN : bytes / (double) micros;
    }

    private static double us(long nanos) {
        return nanos / 1000.0;
    }

    /** How many entries {@code fill(prefix, n)} needs for at least {@code bytes} of key and value chars. */
    private static int entriesFor(String prefix, long bytes) {
        long sum = 0;
        int n = 0;
        while (sum < bytes) {
            int digits = Integer.toString(n).length();
            sum += 2L * (prefix.length() + digits + 1 + digits);
            n++;
        }
        return n;
    }

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .visibility(PropertyAccessor.ALL, Visibility.NONE)
            .visibility(PropertyAccessor.FIELD, Visibility.ANY)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .build();

    /** The JSON byte length of the counter's state, as the container's codec sees it (fields only). */
    private static long jsonBytes(Object implementation) throws Exception {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("tallies", FelixRig.privateField(implementation, "tallies"));
        state.put("operations", FelixRig.privateField(implementation, "operations"));
        long[] count = {0};
        MAPPER.writeValue(new OutputStream() {
            @Override
            public void write(int b) {
                count[0]++;
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                count[0] += len;
            }
        }, state);
        return count[0];
    }

    private static long parseSize(String size) {
        String s = size.toUpperCase(Locale.ROOT);
        long unit = s.endsWith("KB") ? 1L << 10 : s.endsWith("MB") ? 1L << 20 : s.endsWith("GB") ? 1L << 30 : 1;
        return Long.parseLong(s.replaceAll("[A-Z]", "")) * unit;
    }

    private static String human(long bytes) {
        if (bytes >= 1L << 20) {
            return String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1L << 20));
        }
        return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
    }

    static String vm() {
        return ManagementFactory.getRuntimeMXBean().getVmName();
    }
}
