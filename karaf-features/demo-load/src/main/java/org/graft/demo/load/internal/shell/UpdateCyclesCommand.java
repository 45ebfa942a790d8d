package org.graft.demo.load.internal.shell;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.graft.demo.load.internal.cycles.UpdateCycles;
import org.graft.demo.load.internal.cycles.UpdateCycles.Figures;
import org.graft.update.UpdateManager;
import org.graft.update.dto.UpdateOptionsDTO;

@Service
@Command(scope = "graft-demo", name = "update-cycles",
        description = "Updates the sample counter live in cycles of four (to 2, to 3, a rollback to 2, back to 1), through the update manager;"
                + " stops at the first update that does not succeed.")
public class UpdateCyclesCommand implements Action {
    static final int MAX_CYCLES = 10_000;

    @Reference
    UpdateManager manager;

    @Option(name = "--cycles", aliases = "-c", description = "How many cycles of four updates (1 to 10000)")
    int cycles = 1;

    @Argument(index = 0, name = "version1", required = true, description = "The location of the counter's version 1 jar")
    String version1;

    @Argument(index = 1, name = "version2", required = true, description = "The location of version 2's jar")
    String version2;

    @Argument(index = 2, name = "version3", required = true, description = "The location of version 3's jar")
    String version3;

    @Override
    public Object execute() throws Exception {
        if (cycles < 1 || cycles > MAX_CYCLES) {
            throw new IllegalArgumentException("--cycles must be 1 to " + MAX_CYCLES + ", not " + cycles);
        }
        long start = System.nanoTime();
        try {
            Figures figures = new UpdateCycles(manager, version1, version2, version3).run(cycles, UpdateOptionsDTO.CHANNEL_SHELL);
            System.out.println(summary("Cycles done: " + figures.updates() + " updates SUCCEEDED", figures, start));
            return null;
        } catch (UpdateCycles.UpdateFailed e) {
            System.out.println(summary("Cycles stopped after " + e.before().updates() + " updates SUCCEEDED", e.before(), start));
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private static String summary(String what, Figures figures, long start) {
        return String.format("%s in %.1f s; calls held p50 %.1f ms, p99 %.1f ms, max %.1f ms; update p50 %.0f ms, max %.0f ms",
                what, (System.nanoTime() - start) / 1e9, figures.heldPercentile(50) / 1e3, figures.heldPercentile(99) / 1e3,
                figures.heldPercentile(100) / 1e3, figures.totalPercentile(50) / 1e3, figures.totalPercentile(100) / 1e3);
    }
}
