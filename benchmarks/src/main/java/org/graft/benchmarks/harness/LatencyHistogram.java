package org.graft.benchmarks.harness;

/**
 * Call latencies in nanoseconds, log-linear buckets (32 per power of two: at most ~3% error on a
 * percentile), exact count and max. Written by one thread; read after that thread ended (join).
 */
public final class LatencyHistogram {
    private static final int SUB = 5;
    private final long[] buckets = new long[64 << SUB];
    private long count;
    private long max;

    public void record(long nanos) {
        long v = Math.max(0, nanos);
        buckets[index(v)]++;
        count++;
        if (v > max) {
            max = v;
        }
    }

    private static int index(long v) {
        if (v < (1L << SUB)) {
            return (int) v;
        }
        int exponent = 63 - Long.numberOfLeadingZeros(v);
        return ((exponent - SUB + 1) << SUB) + (int) ((v >>> (exponent - SUB)) & ((1 << SUB) - 1));
    }

    /** The upper bound of the bucket at {@code index}. */
    private static long upper(int index) {
        if (index < (1 << SUB)) {
            return index;
        }
        int exponent = (index >>> SUB) + SUB - 1;
        long sub = index & ((1 << SUB) - 1);
        return ((1L << SUB) + sub + 1 << (exponent - SUB)) - 1;
    }

    public void add(LatencyHistogram other) {
        for (int i = 0; i < buckets.length; i++) {
            buckets[i] += other.buckets[i];
        }
        count += other.count;
        max = Math.max(max, other.max);
    }

    public long count() {
        return count;
    }

    public long max() {
        return max;
    }

    /** The value at quantile {@code q} (0..1), never above the max. */
    public long percentile(double q) {
        if (count == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(q * count));
        long seen = 0;
        for (int i = 0; i < buckets.length; i++) {
            seen += buckets[i];
            if (seen >= rank) {
                return Math.min(upper(i), max);
            }
        }
        return max;
    }

    /** How many values exceed {@code nanos} (to bucket precision). */
    public long countAbove(long nanos) {
        long above = 0;
        for (int i = index(nanos) + 1; i < buckets.length; i++) {
            above += buckets[i];
        }
        return above;
    }
}
