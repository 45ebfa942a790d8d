package org.graft.container.internal.state.structural;

import java.util.concurrent.atomic.AtomicInteger;

/** A bundle-private ring of linked entries, as a log keeps its history: loaded once per "version" by the test. */
public class Ring {
    private final AtomicInteger next = new AtomicInteger();
    private final Entry[] slots;
    private Entry newest;

    /** No no-argument constructor: a copy must not need one. */
    public Ring(int size) {
        slots = new Entry[size];
    }

    public void add(String text) {
        Entry entry = new Entry(text, newest);
        if (newest != null) {
            newest.later = entry;
        }
        newest = entry;
        slots[next.getAndIncrement() % slots.length] = entry;
    }

    public Entry newest() {
        return newest;
    }

    public Entry slot(int i) {
        return slots[i];
    }

    public int added() {
        return next.get();
    }

    /** One entry, linked both ways: the graph has cycles. */
    public static final class Entry {
        final String text;
        final Entry earlier;
        Entry later;

        Entry(String text, Entry earlier) {
            this.text = text;
            this.earlier = earlier;
        }

        public String text() {
            return text;
        }

        public Entry earlier() {
            return earlier;
        }

        public Entry later() {
            return later;
        }
    }
}
