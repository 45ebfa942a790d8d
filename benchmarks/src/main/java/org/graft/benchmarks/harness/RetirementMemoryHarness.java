package org.graft.benchmarks.harness;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ClassLoadingMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.ref.WeakReference;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Do retired versions go away? {@code graft.updates} (1000) successive updates of the catalog in one
 * Felix framework (2, 1, 2, ...), one caller thread calling it throughout. Every {@code graft.every}
 * (100) updates: heap used after full GCs (repeated until it moves by less than 1%), Metaspace used,
 * loaded classes, and how many of the retired versions' class loaders are still reachable (a
 * WeakReference to each implementation's class loader, taken from the container just before the
 * update that retires it). At the end, {@code jmap -histo:live} of this JVM, filtered to the bundle
 * class loaders and the catalog's classes.
 */
public final class RetirementMemoryHarness {
    private static final String API = "org.graft.sample.api.Catalog";

    private RetirementMemoryHarness() {
    }

    public static void main(String[] args) throws Exception {
        int updates = Integer.getInteger("graft.updates", 1000);
        int every = Integer.getInteger("graft.every", 100);
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        ClassLoadingMXBean classes = ManagementFactory.getClassLoadingMXBean();
        MemoryPoolMXBean metaspace = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getName().equals("Metaspace")).findFirst().orElseThrow();
        List<WeakReference<ClassLoader>> retired = new ArrayList<>();
        System.out.printf(Locale.ROOT, "# RetirementMemoryHarness: %d updates of the catalog, java %s, max heap %d MB%n",
                updates, System.getProperty("java.version"), Runtime.getRuntime().maxMemory() >> 20);
        System.out.println("| updates | heap used after GC, MB | Metaspace used, MB | loaded classes | classes unloaded (total) "
                + "| retired loaders alive / retired | held us p50 / max (last " + every + ") | total ms p50 (last " + every + ") | s |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        long began = System.nanoTime();
        try (FelixRig rig = FelixRig.launch(Paths.get("benchmarks", "target", "harness", "retirement"), "catalog-v1")) {
            Object catalog = rig.proxy(API);
            Method put = FelixRig.method(catalog, API, "put", String.class, String.class);
            for (int i = 0; i < 10_000; i++) {
                put.invoke(catalog, "entry-" + i, "value-" + i);
            }
            Method get = FelixRig.method(catalog, API, "get", String.class);
            CallerLoad load = new CallerLoad(1, 1_000, catalog, get, (t, n) -> new Object[] {"entry-" + (n % 10_000)});
            load.start();
            try {
                row(0, memory, metaspace, classes, retired, new long[0], new long[0], began);
                long[] held = new long[every];
                long[] total = new long[every];
                for (int i = 1; i <= updates; i++) {
                    retired.add(new WeakReference<>(rig.implementation(API).getClass().getClassLoader()));
                    Object report = rig.update("org.graft.sample.catalog", i % 2 == 1 ? "catalog-v2" : "catalog-v1");
                    held[(i - 1) % every] = FelixRig.timing(report, "heldMicros");
                    total[(i - 1) % every] = FelixRig.timing(report, "totalMicros");
                    if (i % every == 0) {
                        row(i, memory, metaspace, classes, retired, held, total, began);
                    }
                }
                int bundles = rig.bundles("org.graft.sample.catalog").size();
                int history = ((List<?>) rig.managerCall("history")).size();
                System.out.printf(Locale.ROOT, "%ncatalog bundles installed at the end: %d; update history entries: %d; "
                        + "entries still there: %s%n", bundles, history,
                        FelixRig.method(catalog, API, "size").invoke(catalog));
            } finally {
                load.stop();
            }
            histogram();
        }
    }

    private static void row(int updates, MemoryMXBean memory, MemoryPoolMXBean metaspace, ClassLoadingMXBean classes,
            List<WeakReference<ClassLoader>> retired, long[] held, long[] total, long began) {
        long heap = heapAfterGc(memory);
        long alive = retired.stream().filter(r -> r.get() != null).count();
        long[] h = held.clone();
        long[] t = total.clone();
        java.util.Arrays.sort(h);
        java.util.Arrays.sort(t);
        System.out.printf(Locale.ROOT, "| %d | %.1f | %.1f | %d | %d | %d / %d | %s | %s | %.0f |%n", updates, heap / 1048576.0,
                metaspace.getUsage().getUsed() / 1048576.0, classes.getLoadedClassCount(), classes.getUnloadedClassCount(),
                alive, retired.size(), h.length == 0 ? "-" : h[(h.length - 1) / 2] + " / " + h[h.length - 1],
                t.length == 0 ? "-" : String.format(Locale.ROOT, "%.1f", t[(t.length - 1) / 2] / 1000.0),
                (System.nanoTime() - began) / 1e9);
    }

    /** Heap used after full GCs, repeated (at most 10 times) until it moves by less than 1%. */
    private static long heapAfterGc(MemoryMXBean memory) {
        long previous = Long.MAX_VALUE;
        long used = 0;
        for (int i = 0; i < 10; i++) {
            System.gc();
            used = memory.getHeapMemoryUsage().getUsed();
            if (Math.abs(previous - used) < used / 100) {
                break;
            }
            previous = used;
        }
        return used;
    }

    /** This JVM's live-object histogram, the bundle class loaders' and the catalog's lines. */
    private static void histogram() throws Exception {
        long pid = ProcessHandle.current().pid();
        String jmap = Paths.get(System.getProperty("java.home"), "bin", "jmap").toString();
        Process process = new ProcessBuilder(jmap, "-histo:live", Long.toString(pid)).redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = reader.readLine()) != null;) {
                if (line.contains("BundleClassLoader") || line.contains("org.graft.sample.catalog")
                        || line.contains("BundleRevisionImpl ") || line.contains("org.graft.update.dto.")
                        || line.contains("Total") || line.contains("num ")) {
                    lines.add(line);
                }
            }
        }
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("jmap did not finish within 60 s");
        }
        System.out.println("\njmap -histo:live " + pid + " (exit " + process.exitValue() + "), filtered:");
        lines.forEach(System.out::println);
    }
}
