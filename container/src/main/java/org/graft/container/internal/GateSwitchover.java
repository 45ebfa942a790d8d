package org.graft.container.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.graft.container.Switchover;
import org.graft.container.internal.gate.CallGate;
import org.graft.container.internal.gate.GateSet;

/** A {@link Switchover} over the gates of the replaced services. */
final class GateSwitchover implements Switchover {
    private final ManagedServiceRegistry registry;
    private final List<ManagedServiceEntry> olds;
    private final List<StagedServiceEntry> news;
    private final GateSet gates;
    private boolean held;
    private boolean committed;
    private long releasedAtNanos;

    GateSwitchover(ManagedServiceRegistry registry, List<ManagedServiceEntry> olds, List<StagedServiceEntry> news) {
        this.registry = registry;
        this.olds = List.copyOf(olds);
        this.news = List.copyOf(news);
        List<CallGate> list = new ArrayList<>();
        for (ManagedServiceEntry old : olds) {
            list.add(old.gate());
        }
        this.gates = new GateSet(list);
    }

    @Override
    public boolean unlink(long timeout, TimeUnit unit) throws InterruptedException {
        return gates.unlink(timeout, unit);
    }

    @Override
    public List<String> uncountedCalls() {
        return gates.uncountedCalls();
    }

    @Override
    public void hold() {
        gates.hold();
        held = true;
    }

    @Override
    public boolean awaitQuiescence(long timeout, TimeUnit unit) throws InterruptedException {
        return gates.awaitDrained(timeout, unit);
    }

    @Override
    public Map<String, Long> callsInFlight() {
        return held ? gates.inFlight() : new LinkedHashMap<>();
    }

    @Override
    public void commit() {
        if (!held) {
            throw new IllegalStateException("commit needs the services held");
        }
        List<Object> implementations = new ArrayList<>();
        List<String> versions = new ArrayList<>();
        for (StagedServiceEntry successor : news) {
            implementations.add(successor.implementation());
            versions.add(successor.provider().getVersion().toString());
        }
        gates.swap(implementations, versions);
        releasedAtNanos = System.nanoTime();
        held = false;
        committed = true;
        registry.committed(olds, news);
    }

    @Override
    public boolean awaitRetiredQuiescence(long timeout, TimeUnit unit) throws InterruptedException {
        return gates.awaitRetiredDrained(timeout, unit);
    }

    @Override
    public void abort() {
        if (committed) {
            return;
        }
        // Held, or only unlinked: either way the gates are relinked and let go.
        gates.reopen();
        if (held) {
            releasedAtNanos = System.nanoTime();
            held = false;
        }
    }

    @Override
    public long releasedAtNanos() {
        return releasedAtNanos;
    }
}
