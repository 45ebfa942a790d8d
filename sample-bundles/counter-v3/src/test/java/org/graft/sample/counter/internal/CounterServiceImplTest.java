package org.graft.sample.counter.internal;

import static org.junit.Assert.assertEquals;

import org.junit.Test;

public class CounterServiceImplTest {

    @Test
    public void incrementsPerKeyAndCountsOperations() {
        CounterServiceImpl counter = new CounterServiceImpl();
        assertEquals(0, counter.get("a"));
        assertEquals(1, counter.increment("a"));
        assertEquals(2, counter.increment("a"));
        assertEquals(1, counter.increment("b"));
        assertEquals(3, counter.increment("a"));
        assertEquals(3, counter.get("a"));
        assertEquals(4, counter.operations());
        assertEquals("3", counter.version());
    }
}
