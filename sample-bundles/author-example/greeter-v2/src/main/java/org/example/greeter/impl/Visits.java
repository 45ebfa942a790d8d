package org.example.greeter.impl;

/** Version 2's state per name: how often, and when last. A record works as state. */
public record Visits(long count, long lastMillis) {
    Visits next(long now) {
        return new Visits(count + 1, now);
    }
}
