package org.graft.benchmarks;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import org.apache.aries.proxy.ProxyManager;
import org.apache.aries.proxy.UnableToProxyException;
import org.apache.aries.proxy.impl.AsmProxyManager;
import org.graft.container.internal.gate.CallGate;
import org.graft.container.internal.gate.DirectLinkSupport;
import org.graft.container.internal.proxy.ProxyFactory;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * Call overhead of a service proxy: the same {@link Service} called (a) directly through the
 * interface, (b) through Graft's generated proxy linked directly ({@code graft}, opt-in, where
 * the JVM allows it) and (b') behind its counted call gate ({@code graftCounted}, the fallback), (c) through a
 * {@code java.lang.reflect.Proxy} whose handler does {@code method.invoke(target, args)}, and (d)
 * through Apache Aries Proxy's delegating proxy (the kind Blueprint hands out for service references;
 * here its dispatcher just returns the target, the cheapest dispatcher there can be).
 *
 * <p>Methods are named {@code <method>_<threads>t_<variant>}; the thread count is fixed per method
 * with {@link Threads}, so one run covers 1 and 2 threads. The proxies are shared by all threads
 * ({@link Scope#Benchmark}); each thread cycles through its own key cursor ({@link Scope#Thread}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CallOverheadBenchmark {
    static final int ENTRIES = 1024;
    public static final int TRIVIAL_VALUE = 42;

    /** The four variants, each over its own implementation class (see {@link MapService}). */
    @State(Scope.Benchmark)
    public static class Services {
        Service direct;
        Service graft;
        Service graftCounted;
        Service jdkProxy;
        Service aries;
        /** Lookup keys: equal to the map's keys but other instances, so each lookup runs String.equals. */
        String[] keys;

        @Setup(Level.Trial)
        public void setUp() throws UnableToProxyException {
            HashMap<String, String> map = new HashMap<>();
            keys = new String[ENTRIES];
            for (int i = 0; i < ENTRIES; i++) {
                String key = "service.property." + i;
                map.put(key, "value-" + i);
                keys[i] = new String(key.toCharArray());
            }
            direct = new MapService.ForDirect(map, TRIVIAL_VALUE);
            graft = (Service) ProxyFactory.create(List.of(Service.class),
                    new CallGate("benchmark.service", new MapService.ForGraft(map, TRIVIAL_VALUE), "1.0.0", 30_000L,
                            // where the JVM refuses the direct link, "graft" measures the counted gate too
                            DirectLinkSupport.unsupportedReason().isEmpty()));
            graftCounted = (Service) ProxyFactory.create(List.of(Service.class),
                    new CallGate("benchmark.counted", new MapService.ForGraftCounted(map, TRIVIAL_VALUE), "1.0.0", 30_000L, false));
            jdkProxy = (Service) Proxy.newProxyInstance(Service.class.getClassLoader(), new Class<?>[] {Service.class},
                    new DelegatingHandler(new MapService.ForJdkProxy(map, TRIVIAL_VALUE)));
            MapService ariesTarget = new MapService.ForAries(map, TRIVIAL_VALUE);
            ProxyManager aries = new AsmProxyManager();
            this.aries = (Service) aries.createDelegatingProxy(StandaloneBundle.of(Service.class.getClassLoader()),
                    List.of(Service.class), new FixedDispatcher(ariesTarget), ariesTarget);
            check();
        }

        /** Fails the trial if any variant is not what it claims or answers differently from the direct call. */
        void check() {
            if (graft.getClass().getName().indexOf("$GraftProxy") < 0 || graftCounted.getClass().getName().indexOf("$GraftProxy") < 0
                    || !Proxy.isProxyClass(jdkProxy.getClass())
                    || Proxy.isProxyClass(aries.getClass()) || aries instanceof MapService) {
                throw new IllegalStateException("unexpected proxy classes: " + graft.getClass() + ", "
                        + jdkProxy.getClass() + ", " + aries.getClass());
            }
            for (Service s : new Service[] {graft, graftCounted, jdkProxy, aries}) {
                if (s.trivial() != direct.trivial()) {
                    throw new IllegalStateException(s.getClass() + ".trivial() differs from the direct call");
                }
                for (String key : keys) {
                    if (!s.lookup(key).equals(direct.lookup(key))) {
                        throw new IllegalStateException(s.getClass() + ".lookup(" + key + ") differs from the direct call");
                    }
                }
            }
        }
    }

    /** Each thread's position in the keys; a power-of-two mask keeps the cycling cheap and equal for all. */
    @State(Scope.Thread)
    public static class Cursor {
        private int next;

        String key(String[] keys) {
            return keys[next++ & (ENTRIES - 1)];
        }
    }

    /** The java.lang.reflect.Proxy variant: a plain delegating handler. */
    static final class DelegatingHandler implements InvocationHandler {
        private final Object target;

        DelegatingHandler(Object target) {
            this.target = target;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }
    }

    /** Aries' dispatcher: called on every proxy call for the object to delegate to. */
    static final class FixedDispatcher implements Callable<Object> {
        private final Object target;

        FixedDispatcher(Object target) {
            this.target = target;
        }

        @Override
        public Object call() {
            return target;
        }
    }

    // ---- trivial(), 1 thread

    @Benchmark
    @Threads(1)
    public int trivial_1t_direct(Services s) {
        return s.direct.trivial();
    }

    @Benchmark
    @Threads(1)
    public int trivial_1t_graft(Services s) {
        return s.graft.trivial();
    }

    @Benchmark
    @Threads(1)
    public int trivial_1t_graftCounted(Services s) {
        return s.graftCounted.trivial();
    }

    @Benchmark
    @Threads(1)
    public int trivial_1t_jdkProxy(Services s) {
        return s.jdkProxy.trivial();
    }

    @Benchmark
    @Threads(1)
    public int trivial_1t_aries(Services s) {
        return s.aries.trivial();
    }

    // ---- trivial(), 2 threads

    @Benchmark
    @Threads(2)
    public int trivial_2t_direct(Services s) {
        return s.direct.trivial();
    }

    @Benchmark
    @Threads(2)
    public int trivial_2t_graft(Services s) {
        return s.graft.trivial();
    }

    @Benchmark
    @Threads(2)
    public int trivial_2t_graftCounted(Services s) {
        return s.graftCounted.trivial();
    }

    @Benchmark
    @Threads(2)
    public int trivial_2t_jdkProxy(Services s) {
        return s.jdkProxy.trivial();
    }

    @Benchmark
    @Threads(2)
    public int trivial_2t_aries(Services s) {
        return s.aries.trivial();
    }

    // ---- lookup(key), 1 thread

    @Benchmark
    @Threads(1)
    public String lookup_1t_direct(Services s, Cursor c) {
        return s.direct.lookup(c.key(s.keys));
    }

    @Benchmark
    @Threads(1)
    public String lookup_1t_graft(Services s, Cursor c) {
        return s.graft.lookup(c.key(s.keys));
    }

    @Benchmark
    @Threads(1)
    public String lookup_1t_graftCounted(Services s, Cursor c) {
        return s.graftCounted.lookup(c.key(s.keys));
    }

    @Benchmark
    @Threads(1)
    public String lookup_1t_jdkProxy(Services s, Cursor c) {
        return s.jdkProxy.lookup(c.key(s.keys));
    }

    @Benchmark
    @Threads(1)
    public String lookup_1t_aries(Services s, Cursor c) {
        return s.aries.lookup(c.key(s.keys));
    }

    // ---- lookup(key), 2 threads

    @Benchmark
    @Threads(2)
    public String lookup_2t_direct(Services s, Cursor c) {
        return s.direct.lookup(c.key(s.keys));
    }

    @Benchmark
    @Threads(2)
    public String lookup_2t_graft(Services s, Cursor c) {
        return s.graft.lookup(c.key(s.keys));
    }

    @Benchmark
    @Threads(2)
    public String lookup_2t_graftCounted(Services s, Cursor c) {
        return s.graftCounted.lookup(c.key(s.keys));
    }

    @Benchmark
    @Threads(2)
    public String lookup_2t_jdkProxy(Services s, Cursor c) {
        return s.jdkProxy.lookup(c.key(s.keys));
    }

    @Benchmark
    @Threads(2)
    public String lookup_2t_aries(Services s, Cursor c) {
        return s.aries.lookup(c.key(s.keys));
    }
}
