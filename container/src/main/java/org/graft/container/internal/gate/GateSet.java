package org.graft.container.internal.gate;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The gates of one switchover, held, drained, swapped and released together: every gate is held before
 * any is swapped, and none is released before all are swapped (why that makes the switch atomic, and why
 * the drain is exact: {@link CallGate}'s implementation notes). A set holds its gates exclusively: it
 * claims each before holding any, and lets go at the swap or the reopen.
 *
 * <p>Gates whose proxies are linked directly are unlinked first, and their uncounted calls waited for
 * ({@link #unlink}) before the counted drain: either as a step of its own before the hold, with calls
 * flowing, or, if it was not taken, as the first part of {@link #awaitDrained}.
 *
 * <p>Used by one thread, the one that holds it; not thread-safe.
 */
public final class GateSet {
    private static final long SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(20);
    private static final long FIRST_POLL_NANOS = TimeUnit.MICROSECONDS.toNanos(50);
    private static final long MAX_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final List<CallGate> gates;
    private final List<Target> held = new ArrayList<>();
    private final Set<String> directProxyClasses = new HashSet<>();
    private final Map<String, String> serviceOfProxyClass = new HashMap<>();
    private boolean claimed;
    /** Whether no call of the set's gates can be on the direct path any more (checked by a stack scan). */
    private boolean uncountedEnded;
    private List<String> uncounted = List.of();

    public GateSet(List<CallGate> gates) {
        this.gates = List.copyOf(gates);
        for (CallGate gate : this.gates) {
            if (gate.linksDirectly()) {
                directProxyClasses.addAll(gate.proxyClassNames());
                gate.proxyClassNames().forEach(name -> serviceOfProxyClass.put(name, gate.serviceName()));
            }
        }
        uncountedEnded = directProxyClasses.isEmpty();
    }

    /**
     * Claims the gates and sends every new call to the counted path, then waits until no call of them
     * runs on the direct path any more; calls are not held. Optional before {@link #hold()}: it takes
     * the stack scan out of the time calls are held.
     *
     * @return true once no uncounted call runs; false if some still ran at the deadline (they are named
     *         by {@link #uncountedCalls()}; the gates stay claimed and unlinked until {@link #reopen()})
     * @throws IllegalStateException naming the service, if another switchover holds one of the gates
     * @throws InterruptedException if interrupted while waiting; the gates stay claimed and unlinked
     */
    public boolean unlink(long timeout, TimeUnit unit) throws InterruptedException {
        claimAll();
        return awaitUncountedEnded(System.nanoTime() + unit.toNanos(timeout));
    }

    /** Of the last wait for uncounted calls that timed out: the threads still in one, named. */
    public List<String> uncountedCalls() {
        return uncounted;
    }

    private void claimAll() {
        if (claimed) {
            return;
        }
        for (int i = 0; i < gates.size(); i++) {
            if (!gates.get(i).claim(this)) {
                unclaim(gates.subList(0, i));
                throw new IllegalStateException("the managed service " + gates.get(i).serviceName()
                        + " is being switched over by another update");
            }
        }
        claimed = true;
        for (CallGate gate : gates) {
            gate.unlink();
        }
    }

    private boolean awaitUncountedEnded(long deadline) throws InterruptedException {
        if (uncountedEnded) {
            return true;
        }
        // Each look is a safepoint: the backoff keeps them few once the first short calls are gone.
        Backoff backoff = new Backoff();
        Map<Thread, String> running = UncountedCalls.running(directProxyClasses);
        while (!running.isEmpty()) {
            if (!backoff.pause(deadline, "uncounted calls to end")) {
                uncounted = UncountedCalls.describe(running, serviceOfProxyClass);
                return false;
            }
            running = UncountedCalls.stillRunning(running, directProxyClasses);
        }
        uncountedEnded = true;
        uncounted = List.of();
        return true;
    }

    /**
     * Holds new calls at every gate; calls already running go on.
     *
     * @throws IllegalStateException naming the service, if another switchover holds one of the gates or
     *         one was closed (its service withdrawn); then no gate of the set is held
     */
    public void hold() {
        if (!held.isEmpty()) {
            throw new IllegalStateException("already held");
        }
        claimAll();
        for (CallGate gate : gates) {
            Target target = gate.current();
            target.drainWaiter = Thread.currentThread();
            if (!target.hold()) {
                target.drainWaiter = null;
                reopen();
                throw new IllegalStateException("the managed service " + gate.serviceName() + " is no longer available");
            }
            held.add(target);
        }
    }

    private void unclaim(List<CallGate> claimedGates) {
        for (CallGate gate : claimedGates) {
            gate.unclaim(this);
        }
    }

    /** Relinks every gate to its current target and lets go of it: the end of this set's claim. */
    private void relinkAndUnclaim() {
        if (!claimed) {
            return;
        }
        for (CallGate gate : gates) {
            gate.link();
        }
        unclaim(gates);
        claimed = false;
    }

    /**
     * Waits until no call runs on any held target, all at one moment: one sweep that reads zero
     * everywhere.
     *
     * @return true once drained; false if calls were still running at the deadline
     * @throws InterruptedException if interrupted while waiting; the gates stay held
     */
    public boolean awaitDrained(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        if (!awaitUncountedEnded(deadline)) {
            return false;
        }
        return awaitCountedDrained(deadline);
    }

    private boolean awaitCountedDrained(long deadline) throws InterruptedException {
        Backoff backoff = new Backoff();
        while (inFlightTotal() != 0L) {
            if (!backoff.pause(deadline, "calls to drain")) {
                return false;
            }
        }
        return true;
    }

    /**
     * How the waits pause between looks. Exits on a held target unpark the waiter, but an exit racing
     * with the hold may not see it held (CallGate's notes: exit has no fence) and so not wake it. Such
     * an exit is visible within nanoseconds, and most calls are short: a brief spin finds it without a
     * park's tens of microseconds of wake-up latency. The spin yields, so that on a busy machine the
     * caller it waits for gets the core (a busy spin measured 156 us drain p50 against 8 us yielding,
     * 1 caller, 2 cores). Then polls back off: they only bound the wait for exits that did see the hold.
     */
    private final class Backoff {
        private final long start = System.nanoTime();
        private long poll = FIRST_POLL_NANOS;

        /** Pauses before the next look; false, without pausing, once the deadline has passed. */
        boolean pause(long deadline, String waitingFor) throws InterruptedException {
            long now = System.nanoTime();
            long remaining = deadline - now;
            if (remaining <= 0L) {
                return false;
            }
            if (now - start < SPIN_NANOS) {
                Thread.yield();
                return true;
            }
            LockSupport.parkNanos(GateSet.this, Math.min(remaining, poll));
            poll = Math.min(poll * 2, MAX_POLL_NANOS);
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted while waiting for " + waitingFor);
            }
            return true;
        }
    }

    private long inFlightTotal() {
        long total = 0L;
        for (Target target : held) {
            total += target.inFlight();
        }
        return total;
    }

    /** Counted calls still running on each held target, by service name, for error messages. */
    public Map<String, Long> inFlight() {
        Map<String, Long> running = new LinkedHashMap<>();
        for (int i = 0; i < held.size(); i++) {
            running.put(gates.get(i).serviceName(), held.get(i).inFlight());
        }
        return running;
    }

    /**
     * Points every gate at its new implementation and releases held calls to it. The old targets are
     * retired: late callers that still read one go to the new target instead.
     *
     * @param implementations the new implementation of each gate, in the order of the gates
     * @param versions the new version of each gate
     */
    public void swap(List<Object> implementations, List<String> versions) {
        if (held.size() != gates.size()) {
            throw new IllegalStateException("swap needs every gate held");
        }
        for (int i = 0; i < gates.size(); i++) {
            gates.get(i).setCurrent(new Target(implementations.get(i), versions.get(i)));
        }
        for (Target old : held) {
            old.retire();
        }
        if (uncountedEnded) {
            relinkAndUnclaim();
        } else {
            // Uncounted calls may still run on the old versions (the coexist strategy swaps without a
            // drain): the proxies stay unlinked, so that a stack scan can still tell those calls apart,
            // until awaitRetiredDrained has seen them end.
            unclaim(gates);
            claimed = false;
        }
    }

    /**
     * For a swap that will never wait for the calls running on the old versions (a provider that went
     * away, whose instance serves no more): the proxies are relinked at the swap, as after a drain.
     */
    public void ignoreUncountedCalls() {
        uncountedEnded = true;
    }

    /** Releases held calls to the targets they were held at: the update did not happen. */
    public void reopen() {
        for (Target target : held) {
            target.drainWaiter = null;
            target.reopen();
        }
        held.clear();
        relinkAndUnclaim();
    }

    /**
     * After a swap: waits until no call runs on the retired targets any more (the coexist strategy
     * lets old calls finish on the old version): first any uncounted ones (the proxies stayed unlinked
     * for that, and are relinked once they ended), then the counted ones.
     */
    public boolean awaitRetiredDrained(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        boolean scanned = !uncountedEnded;
        if (!awaitUncountedEnded(deadline) || !awaitCountedDrained(deadline)) {
            return false;
        }
        if (scanned) {
            relinkWhereFree();
        }
        return true;
    }

    /** After a swap that left the proxies unlinked: links each gate that no other switchover holds now. */
    private void relinkWhereFree() {
        for (CallGate gate : gates) {
            if (gate.claim(this)) {
                gate.link();
                gate.unclaim(this);
            }
        }
    }
}
