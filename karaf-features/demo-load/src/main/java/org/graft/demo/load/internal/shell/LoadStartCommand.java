package org.graft.demo.load.internal.shell;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.graft.demo.load.internal.CounterLoad;
import org.graft.demo.load.internal.LoadFormat;
import org.graft.demo.load.internal.LoadReport;
import org.graft.demo.load.internal.Via;

@Service
@Command(scope = "graft-demo", name = "load-start",
        description = "Starts threads that call CounterService.increment(prefix + i) nonstop, on the one service object they take at start.")
public class LoadStartCommand extends LoadAction {
    static final int MAX_THREADS = 256;

    @Option(name = "--threads", aliases = "-t", description = "How many load threads (1 to 256)")
    int threads = 8;

    @Option(name = "--key-prefix", aliases = "-k", description = "Thread i increments the counter prefix + i")
    String keyPrefix = "load-";

    @Option(name = "--via", description = "What the load calls: counter (the CounterService itself), or through a consumer:"
            + " graft (org.graft.sample.consumer), plain (org.graft.sample.plainconsumer), blueprint (org.graft.sample.blueprintconsumer)")
    String via = "counter";

    @Option(name = "--lookup-each-call", description = "With --via: take the consumer registered at each call (a call finding none fails),"
            + " instead of the one taken at the start")
    boolean lookupEachCall;

    @Override
    public Object execute() {
        if (threads < 1 || threads > MAX_THREADS) {
            throw new IllegalArgumentException("--threads must be 1 to " + MAX_THREADS + ", not " + threads);
        }
        LoadReport report = demoLoad.start(threads, keyPrefix, Via.parse(via), lookupEachCall);
        System.out.println("Load started: " + threads + " threads " + CounterLoad.THREAD_PREFIX + "0.." + (threads - 1)
                + " calling increment(\"" + keyPrefix + "0\"..\"" + keyPrefix + (threads - 1) + "\") on counter version "
                + report.counterVersion + ", " + LoadFormat.service(report));
        return null;
    }
}
