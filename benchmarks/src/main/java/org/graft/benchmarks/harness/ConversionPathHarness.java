package org.graft.benchmarks.harness;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Type;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

import org.graft.container.internal.state.StateCodec;

/**
 * Where conversion time goes, outside OSGi, side by side in one JVM: the counter's state (a map of
 * tallies) converted both ways, {@code long} count to {@code BigInteger} (lossless by type) and back
 * (every value fits, but only a check of the values shows it), by the algorithm before the fast path
 * ({@link StateCodec#convertWithFullCheck}: two JsonNode trees and a node-by-node loss check), by the container's
 * {@link StateCodec}, both with a new codec each time as in a transfer, and by
 * {@code ObjectMapper.convertValue} with the same settings (a TokenBuffer, no loss check, one mapper)
 * as the floor. Sizes as in {@link UpdatePauseHarness} (JSON bytes), {@code graft.sizes} (default
 * 1MB,10MB,100MB); {@code graft.reps} timed repetitions after one warm-up.
 */
public final class ConversionPathHarness {
    /** Version 2's tally. */
    static final class TallyLong {
        private long count;
        private long updatedAtMillis;

        private TallyLong() {
        }

        TallyLong(long count, long updatedAtMillis) {
            this.count = count;
            this.updatedAtMillis = updatedAtMillis;
        }
    }

    /** Version 3's tally. */
    static final class TallyBig {
        private BigInteger count;
        private long updatedAtMillis;

        private TallyBig() {
        }

        TallyBig(BigInteger count, long updatedAtMillis) {
            this.count = count;
            this.updatedAtMillis = updatedAtMillis;
        }
    }

    /** Carries the targets' generic types. */
    static final class Target {
        ConcurrentHashMap<String, TallyBig> v3;
        ConcurrentHashMap<String, TallyLong> v2;
    }

    private ConversionPathHarness() {
    }

    public static void main(String[] args) throws Exception {
        Type toV3 = Target.class.getDeclaredField("v3").getGenericType();
        Type toV2 = Target.class.getDeclaredField("v2").getGenericType();
        ObjectMapper mapper = JsonMapper.builder()
                .visibility(PropertyAccessor.ALL, Visibility.NONE)
                .visibility(PropertyAccessor.FIELD, Visibility.ANY)
                .visibility(PropertyAccessor.CREATOR, Visibility.ANY)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .build();
        int reps = Integer.getInteger("graft.reps", 3);
        System.out.println("MB/s = JSON bytes per microsecond of the p50 of " + reps + " runs");
        System.out.println("| JSON bytes | entries | direction | before: full check ms / MB/s | StateCodec now ms / MB/s"
                + " | convertValue (floor) ms / MB/s | before/now |");
        System.out.println("|---|---|---|---|---|---|---|");
        for (String size : System.getProperty("graft.sizes", "1MB,10MB,100MB").split(",")) {
            long bytes = Long.parseLong(size.replaceAll("[^0-9]", "")) << (size.endsWith("MB") ? 20 : size.endsWith("KB") ? 10 : 0);
            ConcurrentHashMap<String, TallyLong> v2 = new ConcurrentHashMap<>();
            long now = System.currentTimeMillis();
            // fill, measure, extrapolate, until the state is big enough
            long json = 0;
            int count = 0;
            int next = 1000;
            while (json < bytes) {
                for (int i = count; i < next; i++) {
                    v2.put("counter-key-" + i, new TallyLong(1, now));
                }
                count = next;
                json = jsonBytes(mapper, v2);
                next = Math.max(count + 1, (int) Math.ceil(count * (double) bytes / json));
            }
            measure("long -> BigInteger", v2, toV3, json, mapper, reps);
            ConcurrentHashMap<String, TallyBig> v3 = new ConcurrentHashMap<>();
            v2.forEach((key, tally) -> v3.put(key, new TallyBig(BigInteger.valueOf(tally.count), tally.updatedAtMillis)));
            v2 = null;
            measure("BigInteger -> long, all fit", v3, toV2, mapper.writeValueAsBytes(v3).length, mapper, reps);
        }
        warmAndCold(toV3, mapper);
    }

    /**
     * An update converts once, so in a server its conversion code runs cold (interpreted or barely
     * compiled), and the table above measures sizes after a single warm-up. This puts a number on
     * that: 1 MB converted by a fresh codec each time, as a transfer does, after the JIT has compiled
     * the paths (300 conversions first), against the same 1 MB converted a second time by one codec
     * (no codec set-up at all).
     */
    private static void warmAndCold(Type toV3, ObjectMapper mapper) throws IOException {
        ConcurrentHashMap<String, TallyLong> v2 = new ConcurrentHashMap<>();
        for (int i = 0; i < 16_943; i++) {
            v2.put("counter-key-" + i, new TallyLong(1, System.currentTimeMillis()));
        }
        long json = jsonBytes(mapper, v2);
        int reps = 200;
        long[] fresh = new long[reps];
        long[] reused = new long[reps];
        for (int rep = -300; rep < reps; rep++) {
            StateCodec codec = new StateCodec();
            long start = System.nanoTime();
            check(v2, codec.convert("tallies", v2, toV3));
            long second = System.nanoTime();
            check(v2, codec.convert("tallies", v2, toV3));
            long end = System.nanoTime();
            if (rep >= 0) {
                fresh[rep] = second - start;
                reused[rep] = end - second;
            }
        }
        System.out.println();
        System.out.println("| JIT-warm (after 300 conversions), " + json + " JSON bytes, long -> BigInteger | ms p50 | MB/s |");
        System.out.println("|---|---|---|");
        long f = p50(fresh);
        long r = p50(reused);
        System.out.printf(Locale.ROOT, "| a fresh StateCodec (as every transfer) | %.2f | %.1f |%n", f / 1e6, json * 1e3 / f);
        System.out.printf(Locale.ROOT, "| the same StateCodec a second time (no set-up) | %.2f | %.1f |%n", r / 1e6, json * 1e3 / r);
    }

    private static void measure(String direction, Map<String, ?> state, Type target, long json, ObjectMapper mapper, int reps) {
        long[] before = new long[reps];
        long[] now = new long[reps];
        long[] floor = new long[reps];
        for (int rep = -1; rep < reps; rep++) {
            System.gc();
            long start = System.nanoTime();
            Object a = new StateCodec().convertWithFullCheck("tallies", state, target);
            long afterBefore = System.nanoTime();
            check(state, a);
            a = null;
            System.gc();
            long startNow = System.nanoTime();
            Object b = new StateCodec().convert("tallies", state, target);
            long afterNow = System.nanoTime();
            check(state, b);
            b = null;
            System.gc();
            long startFloor = System.nanoTime();
            Object c = mapper.convertValue(state, mapper.getTypeFactory().constructType(target));
            long end = System.nanoTime();
            check(state, c);
            if (rep >= 0) {
                before[rep] = afterBefore - start;
                now[rep] = afterNow - startNow;
                floor[rep] = end - startFloor;
            }
        }
        long b = p50(before);
        long n = p50(now);
        long f = p50(floor);
        System.out.printf(Locale.ROOT, "| %d | %d | %s | %.1f / %.1f | %.1f / %.1f | %.1f / %.1f | %.1fx |%n", json, state.size(),
                direction, b / 1e6, json * 1e3 / b, n / 1e6, json * 1e3 / n, f / 1e6, json * 1e3 / f, b / (double) n);
    }

    private static void check(Map<String, ?> state, Object converted) {
        if (((ConcurrentHashMap<?, ?>) converted).size() != state.size()) {
            throw new IllegalStateException("a conversion lost entries");
        }
    }

    private static long p50(long[] times) {
        long[] sorted = times.clone();
        Arrays.sort(sorted);
        return sorted[(sorted.length - 1) / 2];
    }

    private static long jsonBytes(ObjectMapper mapper, Object value) throws IOException {
        long[] count = {0};
        mapper.writeValue(new OutputStream() {
            @Override
            public void write(int b) {
                count[0]++;
            }

            @Override
            public void write(byte[] b, int off, int len) {
                count[0] += len;
            }
        }, value);
        return count[0];
    }
}
