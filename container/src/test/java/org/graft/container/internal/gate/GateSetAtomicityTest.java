package org.graft.container.internal.gate;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.graft.container.internal.proxy.ProxyFactory;
import org.junit.Test;

/**
 * The gates of one update switch at one instant: a caller that has seen any gate's new version never
 * sees an older version at any gate of the set afterwards. Many gates and thousands of swaps, each to
 * a higher version, so that a window of a few instructions between two gates' switches is hit.
 */
public class GateSetAtomicityTest {
    private static final int GATES = 6;
    private static final int CALLERS = 4;
    private static final int SWAPS = 3_000;

    public interface Versioned {
        int version();
    }

    private static void awaitProgress(java.util.function.BooleanSupplier progress) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!progress.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the callers made no progress for 30 s");
            }
            Thread.yield();
        }
    }

    private static Versioned implementation(int version) {
        return () -> version;
    }

    @Test
    public void noCallerSeesANewVersionThenAnOldOne() throws Exception {
        List<CallGate> gates = new ArrayList<>();
        List<Versioned> proxies = new ArrayList<>();
        for (int i = 0; i < GATES; i++) {
            CallGate gate = new CallGate("gate-" + i, implementation(0), "0", TimeUnit.SECONDS.toMillis(30));
            gates.add(gate);
            proxies.add((Versioned) ProxyFactory.create(List.of(Versioned.class), gate));
        }
        AtomicBoolean stop = new AtomicBoolean();
        Queue<String> violations = new ConcurrentLinkedQueue<>();
        AtomicLong calls = new AtomicLong();
        CountDownLatch started = new CountDownLatch(CALLERS);
        List<Thread> callers = new ArrayList<>();
        for (int c = 0; c < CALLERS; c++) {
            int offset = c;
            Thread caller = new Thread(() -> {
                int newest = 0;
                started.countDown();
                while (!stop.get()) {
                    // each caller walks the gates from another starting point, in both directions
                    for (int i = 0; i < GATES; i++) {
                        int index = (offset % 2 == 0 ? offset + i : offset + GATES - i) % GATES;
                        int seen = proxies.get(index).version();
                        if (seen < newest) {
                            violations.add("saw version " + newest + ", then " + seen + " at gate " + index);
                        }
                        newest = Math.max(newest, seen);
                        calls.incrementAndGet();
                    }
                }
            }, "atomicity-caller-" + c);
            callers.add(caller);
            caller.start();
        }
        assertTrue(started.await(30, TimeUnit.SECONDS));
        long checkpoint = calls.get();
        for (int version = 1; version <= SWAPS; version++) {
            GateSet set = new GateSet(gates);
            set.hold();
            List<Object> implementations = new ArrayList<>();
            List<String> versions = new ArrayList<>();
            for (int i = 0; i < GATES; i++) {
                implementations.add(implementation(version));
                versions.add(String.valueOf(version));
            }
            set.swap(implementations, versions);
            if (version % 100 == 0) {
                // The swaps must interleave with calls, whatever the machine's load: let every caller get
                // through the gates again before going on.
                long before = checkpoint;
                awaitProgress(() -> calls.get() >= before + (long) GATES * CALLERS);
                checkpoint = calls.get();
            }
        }
        stop.set(true);
        for (Thread caller : callers) {
            caller.join(TimeUnit.SECONDS.toMillis(30));
            assertTrue(caller.getName() + " stopped", !caller.isAlive());
        }
        assertTrue("violations: " + violations.size() + ", e.g. " + violations.peek(), violations.isEmpty());
        for (Versioned proxy : proxies) {
            assertEquals(SWAPS, proxy.version());
        }
    }
}
