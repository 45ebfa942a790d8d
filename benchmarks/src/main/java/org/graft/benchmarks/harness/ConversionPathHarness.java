package org.graft.benchmarks.harness;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Type;
import java.math.BigInteger;
import java.util.Locale;
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
 * tallies, {@code long} count to {@code BigInteger}) converted by the container's {@link StateCodec}
 * (two JsonNode trees and a node-by-node loss check, a new mapper each time) and by
 * {@code ObjectMapper.convertValue} with the same settings (a TokenBuffer, no loss check, one mapper).
 * Sizes as in {@link UpdatePauseHarness} (JSON bytes), {@code graft.sizes} (default 1MB,10MB,100MB).
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
    }

    /** Carries the target's generic type. */
    static final class Target {
        ConcurrentHashMap<String, TallyBig> tallies;
    }

    private ConversionPathHarness() {
    }

    public static void main(String[] args) throws Exception {
        Type target = Target.class.getDeclaredField("tallies").getGenericType();
        ObjectMapper mapper = JsonMapper.builder()
                .visibility(PropertyAccessor.ALL, Visibility.NONE)
                .visibility(PropertyAccessor.FIELD, Visibility.ANY)
                .visibility(PropertyAccessor.CREATOR, Visibility.ANY)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .build();
        int reps = Integer.getInteger("graft.reps", 3);
        System.out.println("| JSON bytes | entries | StateCodec.convert ms p50 / MB/s | convertValue (TokenBuffer) ms p50 / MB/s | ratio |");
        System.out.println("|---|---|---|---|---|");
        for (String size : System.getProperty("graft.sizes", "1MB,10MB,100MB").split(",")) {
            long bytes = Long.parseLong(size.replaceAll("[^0-9]", "")) << (size.endsWith("MB") ? 20 : size.endsWith("KB") ? 10 : 0);
            ConcurrentHashMap<String, TallyLong> state = new ConcurrentHashMap<>();
            long now = System.currentTimeMillis();
            // fill, measure, extrapolate, until the state is big enough
            long json = 0;
            int count = 0;
            int next = 1000;
            while (json < bytes) {
                for (int i = count; i < next; i++) {
                    state.put("counter-key-" + i, new TallyLong(1, now));
                }
                count = next;
                json = jsonBytes(mapper, state);
                next = Math.max(count + 1, (int) Math.ceil(count * (double) bytes / json));
            }
            long[] codec = new long[reps];
            long[] buffer = new long[reps];
            for (int rep = -1; rep < reps; rep++) {
                System.gc();
                long start = System.nanoTime();
                Object a = new StateCodec().convert("tallies", state, target);
                long middle = System.nanoTime();
                Object b = mapper.convertValue(state, mapper.getTypeFactory().constructType(target));
                long end = System.nanoTime();
                if (((ConcurrentHashMap<?, ?>) a).size() != state.size() || ((ConcurrentHashMap<?, ?>) b).size() != state.size()) {
                    throw new IllegalStateException("a conversion lost entries");
                }
                if (rep >= 0) {
                    codec[rep] = middle - start;
                    buffer[rep] = end - middle;
                }
            }
            java.util.Arrays.sort(codec);
            java.util.Arrays.sort(buffer);
            long c = codec[(reps - 1) / 2];
            long t = buffer[(reps - 1) / 2];
            System.out.printf(Locale.ROOT, "| %d | %d | %.1f / %.1f | %.1f / %.1f | %.1fx |%n", json, state.size(), c / 1e6,
                    json * 1e3 / c, t / 1e6, json * 1e3 / t, c / (double) t);
        }
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
