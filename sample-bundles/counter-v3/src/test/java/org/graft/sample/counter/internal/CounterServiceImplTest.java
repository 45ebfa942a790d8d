package org.graft.sample.counter.internal;

import static org.junit.Assert.assertEquals;

import java.util.concurrent.CountDownLatch;

import org.junit.Test;

public class CounterServiceImplTest {

    @Test
    public void incrementsPerKeyAndCountsOperations() throws InterruptedException {
        CounterServiceImpl counter = new CounterServiceImpl();
        assertEquals(0, counter.get("a"));
        assertEquals(1, counter.increment("a"));
        assertEquals(2, counter.increment("a"));
        assertEquals(1, counter.increment("b"));
        // Through itself, then directly: two increments.
        assertEquals(4, counter.incrementTwiceThrough(counter, "a", new CountDownLatch(1), new CountDownLatch(0)));
        assertEquals(4, counter.get("a"));
        assertEquals(5, counter.operations());
        assertEquals("3", counter.version());
    }
}
