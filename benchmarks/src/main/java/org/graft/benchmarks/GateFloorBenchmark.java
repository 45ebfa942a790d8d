package org.graft.benchmarks;

import java.util.HashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * Not a proxy: the cost floor of the gate's counting protocol on this machine, to read
 * {@link CallOverheadBenchmark}'s Graft figures against. A direct call of {@link Service#trivial()}
 * bracketed by the counting of one gate protocol or another on a thread-private, padded cell of an
 * {@link AtomicLongArray}: two atomic increments (what {@code InFlightCounter} did per call before its
 * stripes had owners, and still does for a thread on a stripe another thread owns), or a volatile store
 * in and a release store out (what a stripe's owner does now).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Threads(1)
public class GateFloorBenchmark {
    @State(Scope.Thread)
    public static class Counted {
        final Service service = new MapService.ForDirect(new HashMap<>(), CallOverheadBenchmark.TRIVIAL_VALUE);
        final AtomicLongArray cells = new AtomicLongArray(48);
        volatile int mode;
    }

    @Benchmark
    public int trivial_oneIncrement(Counted c) {
        c.cells.getAndIncrement(16);
        return c.service.trivial();
    }

    @Benchmark
    public int trivial_twoIncrements(Counted c) {
        c.cells.getAndIncrement(16);
        int r = c.service.trivial();
        c.cells.getAndIncrement(17);
        return r;
    }

    @Benchmark
    public int trivial_twoIncrementsAndModeReads(Counted c) {
        c.cells.getAndIncrement(16);
        if (c.mode != 0) {
            throw new IllegalStateException();
        }
        int r = c.service.trivial();
        c.cells.getAndIncrement(17);
        if (c.mode != 0) {
            throw new IllegalStateException();
        }
        return r;
    }

    @Benchmark
    public int trivial_volatileStoreInReleaseStoreOut(Counted c) {
        c.cells.set(16, c.cells.getPlain(16) + 1);
        int r = c.service.trivial();
        c.cells.setRelease(17, c.cells.getPlain(17) + 1);
        return r;
    }

    @Benchmark
    public int trivial_volatileStoreInReleaseStoreOutAndModeReads(Counted c) {
        c.cells.set(16, c.cells.getPlain(16) + 1);
        if (c.mode != 0) {
            throw new IllegalStateException();
        }
        int r = c.service.trivial();
        c.cells.setRelease(17, c.cells.getPlain(17) + 1);
        if (c.mode != 0) {
            throw new IllegalStateException();
        }
        return r;
    }

    @Benchmark
    public int trivial_incrementInReleaseStoreOutAndModeReads(Counted c) {
        c.cells.getAndIncrement(16);
        if (c.mode != 0) {
            throw new IllegalStateException();
        }
        int r = c.service.trivial();
        c.cells.setRelease(17, c.cells.getPlain(17) + 1);
        if (c.mode != 0) {
            throw new IllegalStateException();
        }
        return r;
    }

    @Benchmark
    public int trivial_fullFenceInReleaseStoreOutAndModeReads(Counted c) {
        c.cells.setPlain(16, c.cells.getPlain(16) + 1);
        java.lang.invoke.VarHandle.fullFence();
        if (c.mode != 0) {
            throw new IllegalStateException();
        }
        int r = c.service.trivial();
        c.cells.setRelease(17, c.cells.getPlain(17) + 1);
        if (c.mode != 0) {
            throw new IllegalStateException();
        }
        return r;
    }
}
