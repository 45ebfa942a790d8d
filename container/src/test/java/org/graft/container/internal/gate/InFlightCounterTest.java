package org.graft.container.internal.gate;

import static org.junit.Assert.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.Test;

/**
 * The counter's bookkeeping with stripe owners and sharers at once: every thread's enter, undo and
 * exit must land on the same pair, whichever path it takes.
 */
public class InFlightCounterTest {

    @Test
    public void countsCallsOfOwnersAndSharersExactly() throws Exception {
        InFlightCounter counter = new InFlightCounter();
        // More threads than stripes: at least one stripe has an owner and a sharer.
        int threads = 2 * InFlightCounter.stripeCount() + 1;
        CountDownLatch entered = new CountDownLatch(threads);
        CountDownLatch leave = new CountDownLatch(1);
        CountDownLatch exited = new CountDownLatch(threads);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> started = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(() -> {
                try {
                    // two nested calls, one bounced call, then one call left running
                    counter.enter();
                    counter.enter();
                    counter.exit();
                    counter.enter();
                    counter.undoEnter();
                    entered.countDown();
                    leave.await();
                    counter.exit();
                } catch (Throwable x) {
                    failure.compareAndSet(null, x);
                } finally {
                    exited.countDown();
                }
            });
            t.start();
            started.add(t);
        }
        try {
            assertEquals(true, entered.await(30, TimeUnit.SECONDS));
            assertEquals("one call left running per thread", threads, counter.inFlight());
            assertEquals("the nested calls that ended", threads, counter.served());
        } finally {
            leave.countDown();
        }
        assertEquals(true, exited.await(30, TimeUnit.SECONDS));
        for (Thread t : started) {
            t.join();
        }
        assertEquals(null, failure.get());
        assertEquals(0L, counter.inFlight());
        assertEquals(2L * threads, counter.served());
    }
}
