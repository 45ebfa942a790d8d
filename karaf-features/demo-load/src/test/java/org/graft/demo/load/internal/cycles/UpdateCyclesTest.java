package org.graft.demo.load.internal.cycles;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.graft.update.UpdateManager;
import org.graft.update.UpdateProgress;
import org.graft.update.dto.ManagedServiceDTO;
import org.graft.update.dto.UpdateOptionsDTO;
import org.graft.update.dto.UpdatePlanDTO;
import org.graft.update.dto.UpdateReportDTO;
import org.graft.update.dto.UpdateRequestDTO;
import org.junit.Test;

public class UpdateCyclesTest {
    /** Records what it was asked, answers SUCCEEDED with a held time of its request's number, until failAt. */
    private static final class RecordingManager implements UpdateManager {
        final List<String> asked = new ArrayList<>();
        int failAt = Integer.MAX_VALUE;

        @Override
        public UpdateReportDTO update(UpdateRequestDTO request, UpdateProgress progress) {
            asked.add(request.bundles.get(0).bundle + " " + request.bundles.get(0).location + " via " + request.options.channel);
            return report();
        }

        @Override
        public UpdateReportDTO rollback(String bundle, UpdateOptionsDTO options, UpdateProgress progress) {
            asked.add("rollback " + bundle + " via " + options.channel);
            return report();
        }

        private UpdateReportDTO report() {
            UpdateReportDTO report = new UpdateReportDTO();
            report.id = asked.size();
            report.outcome = asked.size() == failAt ? UpdateReportDTO.FAILED : UpdateReportDTO.SUCCEEDED;
            report.failedStep = asked.size() == failAt ? "transfer" : null;
            report.message = "message " + asked.size();
            report.timings.heldMicros = asked.size() * 1000L;
            report.timings.totalMicros = asked.size() * 10_000L;
            return report;
        }

        @Override
        public UpdatePlanDTO plan(UpdateRequestDTO request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<UpdateReportDTO> history() {
            throw new UnsupportedOperationException();
        }

        @Override
        public UpdateReportDTO status() {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<ManagedServiceDTO> managedServices() {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    public void aCycleGoesUpTwiceRollsBackAndComesDownToWhereItBegan() throws Exception {
        RecordingManager manager = new RecordingManager();
        UpdateCycles.Figures figures = new UpdateCycles(manager, "file:v1", "file:v2", "file:v3").run(2, "shell");
        List<String> one = List.of("org.graft.sample.counter file:v2 via shell", "org.graft.sample.counter file:v3 via shell",
                "rollback org.graft.sample.counter via shell", "org.graft.sample.counter file:v1 via shell");
        List<String> two = new ArrayList<>(one);
        two.addAll(one);
        assertEquals(two, manager.asked);
        assertEquals(8, figures.updates());
        assertEquals(4000, figures.heldPercentile(50));
        assertEquals(8000, figures.heldPercentile(100));
        assertEquals(80_000, figures.totalPercentile(100));
    }

    @Test
    public void theFirstUpdateThatDoesNotSucceedStopsTheCyclesAndIsNamed() {
        RecordingManager manager = new RecordingManager();
        manager.failAt = 7;
        UpdateCycles.UpdateFailed failed = assertThrows(UpdateCycles.UpdateFailed.class,
                () -> new UpdateCycles(manager, "file:v1", "file:v2", "file:v3").run(5, "shell"));
        assertEquals(7, manager.asked.size());
        assertEquals(6, failed.before().updates());
        assertTrue(failed.getMessage(), failed.getMessage().startsWith("cycle 2, rollback to 2: update 7 FAILED at transfer: message 7"));
    }

    @Test
    public void percentilesAreNearestRank() {
        assertEquals(0, UpdateCycles.Figures.percentile(List.of(), 50));
        assertEquals(5, UpdateCycles.Figures.percentile(List.of(9L, 1L, 5L), 50));
        assertEquals(9, UpdateCycles.Figures.percentile(List.of(9L, 1L, 5L), 99));
        assertEquals(1, UpdateCycles.Figures.percentile(List.of(9L, 1L, 5L), 0));
    }
}
