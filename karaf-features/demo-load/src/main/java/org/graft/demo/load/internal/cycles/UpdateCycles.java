package org.graft.demo.load.internal.cycles;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.graft.update.UpdateManager;
import org.graft.update.dto.BundleUpdateDTO;
import org.graft.update.dto.UpdateOptionsDTO;
import org.graft.update.dto.UpdateReportDTO;
import org.graft.update.dto.UpdateRequestDTO;

/**
 * Live updates of the sample counter in cycles of four that end where they began, each through
 * another path of the update manager: 1 -> 2 (version 2's transformer), 2 -> 3 (the default
 * conversion), a rollback 3 -> 2 (from the archive), 2 -> 1 (version 2's way down, given version 1's
 * jar). A soak repeats them to show that nothing accumulates from one update to the next.
 */
public final class UpdateCycles {
    public static final String COUNTER = "org.graft.sample.counter";

    /** One update of a cycle: a jar to update to, or a rollback (no jar). */
    public record Step(String description, String location) {
        boolean rollback() {
            return location == null;
        }
    }

    private final UpdateManager manager;
    private final List<Step> cycle;

    public UpdateCycles(UpdateManager manager, String version1, String version2, String version3) {
        this.manager = manager;
        this.cycle = cycle(version1, version2, version3);
    }

    /** The four steps of a cycle, in order. */
    public static List<Step> cycle(String version1, String version2, String version3) {
        return List.of(new Step("update to 2 (transformer)", version2), new Step("update to 3 (conversion)", version3),
                new Step("rollback to 2", null), new Step("update to 1 (way down)", version1));
    }

    /**
     * Runs {@code cycles} cycles; stops at the first update that does not succeed.
     *
     * @throws UpdateFailed naming the update, its step and message, with the figures of those before it
     */
    public Figures run(int cycles, String channel) throws UpdateFailed {
        Figures figures = new Figures();
        for (int i = 0; i < cycles; i++) {
            for (Step step : cycle) {
                UpdateReportDTO report = apply(step, channel);
                if (!UpdateReportDTO.SUCCEEDED.equals(report.outcome)) {
                    throw new UpdateFailed("cycle " + (i + 1) + ", " + step.description() + ": update " + report.id + " "
                            + report.outcome + (report.failedStep == null ? "" : " at " + report.failedStep) + ": "
                            + report.message, figures);
                }
                figures.add(report.timings.heldMicros, report.timings.totalMicros);
            }
        }
        return figures;
    }

    private UpdateReportDTO apply(Step step, String channel) {
        UpdateOptionsDTO options = new UpdateOptionsDTO();
        options.channel = channel;
        if (step.rollback()) {
            return manager.rollback(COUNTER, options);
        }
        UpdateRequestDTO request = new UpdateRequestDTO();
        request.bundles.add(BundleUpdateDTO.of(COUNTER, step.location()));
        request.options = options;
        return manager.update(request);
    }

    /** An update of a cycle that did not succeed. */
    public static final class UpdateFailed extends Exception {
        private static final long serialVersionUID = 1L;
        private final transient Figures before;

        UpdateFailed(String message, Figures before) {
            super(message);
            this.before = before;
        }

        /** The updates that succeeded before it. */
        public Figures before() {
            return before;
        }
    }

    /** How long calls were held, and each update took, over the updates that succeeded. */
    public static final class Figures {
        private final List<Long> heldMicros = new ArrayList<>();
        private final List<Long> totalMicros = new ArrayList<>();

        void add(long held, long total) {
            heldMicros.add(held);
            totalMicros.add(total);
        }

        public int updates() {
            return heldMicros.size();
        }

        /** The {@code percent} percentile (nearest rank) of the time calls were held, in microseconds. */
        public long heldPercentile(double percent) {
            return percentile(heldMicros, percent);
        }

        public long totalPercentile(double percent) {
            return percentile(totalMicros, percent);
        }

        static long percentile(List<Long> values, double percent) {
            if (values.isEmpty()) {
                return 0;
            }
            long[] sorted = values.stream().mapToLong(Long::longValue).toArray();
            Arrays.sort(sorted);
            int rank = (int) Math.ceil(percent / 100 * sorted.length);
            return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
        }
    }
}
