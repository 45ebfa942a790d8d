package org.graft.benchmarks;

/** The service interface every variant is called through. Public: every proxy kind must implement it. */
public interface Service {
    /** Returns a field: the call itself is all the work. */
    int trivial();

    /** A HashMap lookup: a realistic small method. */
    String lookup(String key);
}
