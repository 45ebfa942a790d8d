package org.graft.demo.load.internal;

import static org.junit.Assert.assertEquals;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.graft.sample.api.CounterConsumer;
import org.junit.Test;

public class ThroughConsumerTest {
    /** A consumer bound to one counter; the registry may meanwhile hold another. */
    private static final class FakeConsumer implements CounterConsumer {
        final FakeCounter bound = new FakeCounter();

        @Override
        public long increment(String key) {
            return bound.increment(key);
        }

        @Override
        public int activations() {
            return 1;
        }

        @Override
        public String counterVersion() {
            return bound.version();
        }
    }

    @Test
    public void incrementsGoThroughTheConsumerAndReadsToTheCounterRegisteredNow() throws Exception {
        FakeConsumer consumer = new FakeConsumer();
        AtomicReference<FakeCounter> registered = new AtomicReference<>(consumer.bound);
        ThroughConsumer through = new ThroughConsumer(() -> consumer, registered::get);
        CounterLoad load = new CounterLoad(through, 2, "k-");
        load.start();
        // The registry now holds a new, empty counter: what the consumer's increments went to is lost.
        registered.set(new FakeCounter());
        load.stop(10, TimeUnit.SECONDS);

        LoadReport report = load.report();
        report.via = "plain";
        report.consumerActivationsAtStart = 1;
        report.consumerActivationsNow = 1;
        assertEquals(0L, through.get("k-0"));
        assertEquals(report.calls == 0, report.allKept());
        String figures = LoadFormat.figures(report);
        assertEquals("figures via=plain calls=" + report.calls + " failed=0 longest_ms=" + LoadFormat.millis(report.longestNanos)
                + " kept=" + (report.calls == 0 ? "yes" : "no") + " consumer_restarts=0 unregistered=no reached_version="
                + consumer.bound.version() + " registered_version=- failing_from_ms=0 failing_to_ms=0", figures);
    }
}
