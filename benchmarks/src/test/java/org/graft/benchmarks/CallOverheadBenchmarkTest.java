package org.graft.benchmarks;

import static org.junit.Assert.assertEquals;

import org.junit.Test;

/** Runs the benchmark's setup once (no measurement): every variant builds and answers like the direct call. */
public class CallOverheadBenchmarkTest {
    @Test
    public void everyVariantBuildsAndDelegates() throws Exception {
        CallOverheadBenchmark.Services services = new CallOverheadBenchmark.Services();
        services.setUp(); // checks every variant against the direct call, on every key
        CallOverheadBenchmark benchmark = new CallOverheadBenchmark();
        CallOverheadBenchmark.Cursor cursor = new CallOverheadBenchmark.Cursor();
        assertEquals(CallOverheadBenchmark.TRIVIAL_VALUE, benchmark.trivial_1t_aries(services));
        assertEquals("value-0", benchmark.lookup_1t_graft(services, cursor));
        assertEquals("value-1", benchmark.lookup_1t_aries(services, cursor));
        assertEquals("value-2", benchmark.lookup_1t_jdkProxy(services, cursor));
    }
}
