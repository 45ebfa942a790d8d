package org.graft.cluster.internal.rollout;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The shared records and the membership of a cluster in one JVM, for the rollout's logic: a concurrent
 * map with atomic compare-and-set, as Hazelcast's map is, and listeners told on a thread of their own,
 * as Hazelcast's event threads tell them, in the order of the writes.
 */
final class InMemoryCluster implements SharedRecords {
    private final ConcurrentMap<String, String> records = new ConcurrentHashMap<>();
    private final List<Consumer<String>> recordListeners = new CopyOnWriteArrayList<>();
    private final List<Runnable> memberListeners = new CopyOnWriteArrayList<>();
    private final java.util.concurrent.atomic.AtomicLong writes = new java.util.concurrent.atomic.AtomicLong();
    private final Set<String> alive = ConcurrentHashMap.newKeySet();
    private final ExecutorService events = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "cluster-events");
        thread.setDaemon(true);
        return thread;
    });
    final String group = "default";

    @Override
    public String get(String key) {
        return records.get(key);
    }

    @Override
    public boolean putIfAbsent(String key, String value) {
        boolean put = records.putIfAbsent(key, value) == null;
        if (put) {
            tell(key);
        }
        return put;
    }

    /**
     * Makes the next replace whose new value {@code matches} wait for {@code release} before it compares:
     * a writer that decided on a record and is slow to write it.
     */
    void holdNextWrite(java.util.function.Predicate<String> matches, java.util.concurrent.CountDownLatch held,
            java.util.concurrent.CountDownLatch release) {
        hold = new Object[] { matches, held, release };
    }

    private volatile Object[] hold;

    @SuppressWarnings("unchecked")
    private void waitIfHeld(String value) {
        Object[] h = hold;
        if (h != null && ((java.util.function.Predicate<String>) h[0]).test(value)) {
            hold = null;
            ((java.util.concurrent.CountDownLatch) h[1]).countDown();
            try {
                if (!((java.util.concurrent.CountDownLatch) h[2]).await(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the test never released the held write");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    @Override
    public boolean replace(String key, String expected, String value) {
        waitIfHeld(value);
        boolean replaced = records.replace(key, expected, value);
        if (replaced) {
            tell(key);
        }
        return replaced;
    }

    @Override
    public Set<String> keys(String prefix) {
        return records.keySet().stream().filter(k -> k.startsWith(prefix)).collect(Collectors.toCollection(TreeSet::new));
    }

    @Override
    public AutoCloseable onChange(Consumer<String> listener) {
        recordListeners.add(listener);
        return () -> recordListeners.remove(listener);
    }

    /** How many writes the records have taken so far. */
    long writes() {
        return writes.get();
    }

    private void tell(String key) {
        writes.incrementAndGet();
        events.execute(() -> recordListeners.forEach(l -> l.accept(key)));
    }

    void join(String node) {
        alive.add(node);
        events.execute(() -> memberListeners.forEach(Runnable::run));
    }

    void leave(String node) {
        alive.remove(node);
        events.execute(() -> memberListeners.forEach(Runnable::run));
    }

    private final java.util.Map<String, java.util.concurrent.CountDownLatch> frozenViews = new ConcurrentHashMap<>();

    /** Until {@link #thaw}, the node's every look at the membership waits: a node that stopped running. */
    void freezeViewOf(String node) {
        frozenViews.put(node, new java.util.concurrent.CountDownLatch(1));
    }

    void thaw(String node) {
        java.util.concurrent.CountDownLatch frozen = frozenViews.remove(node);
        if (frozen != null) {
            frozen.countDown();
        }
    }

    private void waitIfFrozen(String node) {
        java.util.concurrent.CountDownLatch frozen = frozenViews.get(node);
        if (frozen != null) {
            try {
                if (!frozen.await(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the test never thawed " + node);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** The membership as one node sees it. */
    GroupMembers membersSeenBy(String node) {
        return new GroupMembers() {
            @Override
            public String localNode() {
                return node;
            }

            @Override
            public List<String> members(String name) {
                waitIfFrozen(node);
                return name.equals(group) ? new ArrayList<>(new TreeSet<>(alive)) : List.of();
            }

            @Override
            public Set<String> localGroups() {
                return Set.of(group);
            }

            @Override
            public AutoCloseable onChange(Runnable listener) {
                memberListeners.add(listener);
                return () -> memberListeners.remove(listener);
            }
        };
    }

    /** Returns once every change made before the call has been told to the listeners. */
    void awaitEventsDelivered() throws Exception {
        events.submit(() -> { }).get(10, TimeUnit.SECONDS);
    }

    void close() throws InterruptedException {
        events.shutdownNow();
        events.awaitTermination(10, TimeUnit.SECONDS);
    }
}
