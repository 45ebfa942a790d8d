package org.graft.sample.counter.internal;

import java.math.BigInteger;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.graft.sample.api.CounterService;
import org.graft.transformer.Managed;
import org.graft.transformer.State;
import org.osgi.service.component.annotations.Component;

/**
 * The third counter: a tally's count became a BigInteger. There is no transformer on purpose: the
 * default field-by-field mapping widens version 2's long counts without loss.
 */
@Managed
@Component(name = "org.graft.sample.counter", service = CounterService.class)
public class CounterServiceImpl implements CounterService {
    @State
    private final ConcurrentHashMap<String, Tally> tallies = new ConcurrentHashMap<>();

    @State
    private final AtomicLong operations = new AtomicLong();

    @Override
    public long increment(String key) {
        long now = System.currentTimeMillis();
        Tally tally = tallies.compute(key, (k, old) -> old == null ? new Tally(BigInteger.ONE, now) : old.incremented(now));
        operations.incrementAndGet();
        // The service's contract is a long: fail loudly rather than wrap around.
        return tally.count().longValueExact();
    }

    @Override
    public long get(String key) {
        Tally tally = tallies.get(key);
        return tally == null ? 0 : tally.count().longValueExact();
    }

    @Override
    public long operations() {
        return operations.get();
    }

    @Override
    public String version() {
        return "3";
    }
}
