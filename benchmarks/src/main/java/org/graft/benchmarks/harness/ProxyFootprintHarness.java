package org.graft.benchmarks.harness;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;

import org.graft.benchmarks.CallOverheadBenchmark;
import org.graft.benchmarks.MapService;
import org.graft.benchmarks.Service;
import org.graft.container.internal.gate.CallGate;
import org.graft.container.internal.proxy.ProxyFactory;

/**
 * The memory one managed service's proxy costs, against a JDK proxy of the same
 * interface: heap used after full GCs and Metaspace used, before and after creating {@code N} of
 * each, divided by N. A Graft proxy is a generated class in a loader of its own, its gate, and the
 * gate's current target with its striped call counter; an update replaces only the target.
 *
 * <pre>java -Xmx2g -cp 'benchmarks/target/classes:benchmarks/target/harness-lib/*:benchmarks/target/benchmarks.jar' \
 *     org.graft.benchmarks.harness.ProxyFootprintHarness</pre>
 */
public final class ProxyFootprintHarness {
    private static final int N = Integer.getInteger("graft.proxies", 2000);

    private ProxyFootprintHarness() {
    }

    public static void main(String[] args) {
        MemoryPoolMXBean metaspace = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getName().equals("Metaspace")).findFirst().orElseThrow();
        // the implementations are created first and kept in both runs: only the proxies are measured
        List<Service> implementations = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            implementations.add(new MapService.ForGraft(new HashMap<>(), CallOverheadBenchmark.TRIVIAL_VALUE));
        }
        // one of each first, so that neither side is charged for loading the machinery's own classes
        List<Object> warm = List.of(graftProxy(implementations.get(0), -1), jdkProxy(implementations.get(0)));

        System.out.println("| proxy | count | heap bytes / proxy | Metaspace bytes / proxy | classes loaded / proxy |");
        System.out.println("|---|---|---|---|---|");
        measure("graft (class + loader + gate + target + counter)", implementations, metaspace, true);
        measure("JDK java.lang.reflect.Proxy (shared class)", implementations, metaspace, false);
        if (warm.size() != 2) {
            throw new AssertionError();
        }
    }

    private static void measure(String name, List<Service> implementations, MemoryPoolMXBean metaspace, boolean graft) {
        long heapBefore = heapAfterGc();
        long metaBefore = metaspace.getUsage().getUsed();
        long classesBefore = ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount();
        List<Service> proxies = new ArrayList<>(N);
        for (int i = 0; i < N; i++) {
            proxies.add(graft ? graftProxy(implementations.get(i), i) : jdkProxy(implementations.get(i)));
        }
        long heapAfter = heapAfterGc();
        long metaAfter = metaspace.getUsage().getUsed();
        long classesAfter = ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount();
        long sum = 0;
        for (Service proxy : proxies) {
            sum += proxy.trivial(); // every proxy works, and stays reachable until measured
        }
        if (sum != (long) N * CallOverheadBenchmark.TRIVIAL_VALUE) {
            throw new AssertionError("a proxy answered wrongly: " + sum);
        }
        System.out.printf("| %s | %d | %d | %d | %.2f |%n", name, N, (heapAfter - heapBefore) / N,
                (metaAfter - metaBefore) / N, (double) (classesAfter - classesBefore) / N);
    }

    private static Service graftProxy(Service implementation, int i) {
        CallGate gate = new CallGate("bench.Service#" + i, implementation, "1.0.0", 30_000);
        return (Service) ProxyFactory.create(List.of(Service.class), gate);
    }

    private static Service jdkProxy(Service implementation) {
        return (Service) Proxy.newProxyInstance(Service.class.getClassLoader(), new Class<?>[] {Service.class},
                (proxy, method, args) -> method.invoke(implementation, args));
    }

    /** Full GCs until heap used moves by less than 1% (as RetirementMemoryHarness does). */
    private static long heapAfterGc() {
        long previous = Long.MAX_VALUE;
        for (int i = 0; i < 10; i++) {
            System.gc();
            long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            if (Math.abs(previous - used) < used / 100) {
                return used;
            }
            previous = used;
        }
        return previous;
    }
}
