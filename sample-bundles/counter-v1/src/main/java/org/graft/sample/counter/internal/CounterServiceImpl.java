package org.graft.sample.counter.internal;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.graft.sample.api.CounterService;
import org.graft.transformer.Managed;
import org.graft.transformer.State;
import org.osgi.service.component.annotations.Component;

/** The first counter: each counter is a plain long. */
@Managed
@Component(name = "org.graft.sample.counter", service = CounterService.class)
public class CounterServiceImpl implements CounterService {
    @State
    private final ConcurrentHashMap<String, Long> counts = new ConcurrentHashMap<>();

    @State
    private final AtomicLong operations = new AtomicLong();

    @Override
    public long increment(String key) {
        long value = counts.merge(key, 1L, Long::sum);
        operations.incrementAndGet();
        return value;
    }

    @Override
    public long get(String key) {
        return counts.getOrDefault(key, 0L);
    }

    @Override
    public long operations() {
        return operations.get();
    }

    @Override
    public String version() {
        return "1";
    }
}
