package org.graft.sample.counter.internal;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.graft.sample.api.CounterService;
import org.graft.transformer.Managed;
import org.graft.transformer.State;
import org.graft.transformer.UpgradeFrom;
import org.osgi.service.component.annotations.Component;

/** The second counter: each counter also remembers when it last changed, so the state changes shape. */
@Managed
@UpgradeFrom(versions = "[1.0.0,2.0.0)", transformer = CountsToTallies.class)
@Component(name = "org.graft.sample.counter", service = CounterService.class)
public class CounterServiceImpl implements CounterService {
    @State
    private final ConcurrentHashMap<String, Tally> tallies = new ConcurrentHashMap<>();

    @State
    private final AtomicLong operations = new AtomicLong();

    @Override
    public long increment(String key) {
        long now = System.currentTimeMillis();
        Tally tally = tallies.compute(key, (k, old) -> old == null ? new Tally(1, now) : old.incremented(now));
        operations.incrementAndGet();
        return tally.count();
    }

    @Override
    public long get(String key) {
        Tally tally = tallies.get(key);
        return tally == null ? 0 : tally.count();
    }

    @Override
    public long operations() {
        return operations.get();
    }

    @Override
    public String version() {
        return "2";
    }
}
