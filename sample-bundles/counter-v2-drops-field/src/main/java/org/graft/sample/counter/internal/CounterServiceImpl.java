package org.graft.sample.counter.internal;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

import org.graft.sample.api.CounterService;
import org.graft.transformer.Managed;
import org.graft.transformer.State;
import org.osgi.service.component.annotations.Component;

/**
 * A counter that keeps version 1's {@code counts} but has no {@code operations} field and no
 * transformer: the default mapping would lose version 1's operations, so the container must refuse
 * this update.
 */
@Managed
@Component(name = "org.graft.sample.counter", service = CounterService.class)
public class CounterServiceImpl implements CounterService {
    @State
    private final ConcurrentHashMap<String, Long> counts = new ConcurrentHashMap<>();

    @Override
    public long increment(String key) {
        return counts.merge(key, 1L, Long::sum);
    }

    @Override
    public long get(String key) {
        return counts.getOrDefault(key, 0L);
    }

    /** Always -1: this version lost the operations count. */
    @Override
    public long operations() {
        return -1;
    }

    @Override
    public String version() {
        return "2";
    }

    @Override
    public long incrementWhenReleased(String key, CountDownLatch entered, CountDownLatch release)
            throws InterruptedException {
        entered.countDown();
        release.await();
        return increment(key);
    }

    @Override
    public long incrementTwiceThrough(CounterService self, String key, CountDownLatch entered, CountDownLatch release)
            throws InterruptedException {
        entered.countDown();
        release.await();
        self.increment(key);
        return increment(key);
    }
}
