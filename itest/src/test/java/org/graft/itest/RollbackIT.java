package org.graft.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import org.graft.sample.api.CounterConsumer;
import org.graft.sample.api.CounterService;
import org.graft.update.dto.UpdateOptionsDTO;
import org.graft.update.dto.UpdateReportDTO;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.ExamFactory;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.nat.internal.NativeTestContainerFactory;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;
import org.osgi.framework.Version;

/** Test 8: rollback with state, through the way-down transformer, and its refusals. */
@RunWith(PaxExam.class)
@ExamFactory(NativeTestContainerFactory.class)
@ExamReactorStrategy(PerMethod.class)
public class RollbackIT extends GraftTestSupport {

    @Test
    public void rollbackRestoresStateThroughTheWayDown() {
        CounterService counter = service(CounterService.class);
        for (int i = 0; i < 5; i++) {
            counter.increment("a");
        }
        counter.increment("b");
        counter.increment("b");
        assertSucceeded(update(COUNTER, "counter-v2"));
        assertEquals(6L, counter.increment("a"));

        UpdateReportDTO rollback = updateManager.rollback(COUNTER, new UpdateOptionsDTO());
        assertSucceeded(rollback);
        assertEquals(UpdateReportDTO.ROLLBACK, rollback.kind);
        assertEquals("org.graft.sample.counter.internal.CountsToTallies (downgrade)", rollback.plan.services.get(0).transformer);
        assertEquals("1", counter.version());
        assertEquals(6L, counter.get("a"));
        assertEquals(2L, counter.get("b"));
        assertEquals(8L, counter.operations());
        assertEquals(Version.parseVersion("1.0.0"), bundlesNamed(COUNTER).get(0).getVersion());
        assertEquals(1, bundlesNamed(COUNTER).size());
        assertEquals(1, service(CounterConsumer.class).activations());
    }

    @Test
    public void rollbackWithoutAWayDownIsRefused() {
        CounterService counter = service(CounterService.class);
        counter.increment("a");
        assertSucceeded(updateManager.update(fixtureRequest(COUNTER, "counter-v2-one-way")));
        UpdateReportDTO rollback = updateManager.rollback(COUNTER, new UpdateOptionsDTO());
        assertEquals(rollback.message, UpdateReportDTO.REFUSED, rollback.outcome);
        assertTrue(rollback.message, rollback.message.contains("there is no way down"));
        assertTrue(rollback.message, rollback.message.contains("'tallies'"));
        assertEquals("2", counter.version());
        assertEquals(1L, counter.get("a"));
        assertEquals(1, bundlesNamed(COUNTER).size());
    }

    @Test
    public void rollbackWithoutHistoryIsRefused() {
        UpdateReportDTO rollback = updateManager.rollback(COUNTER, new UpdateOptionsDTO());
        assertEquals(rollback.message, UpdateReportDTO.REFUSED, rollback.outcome);
        assertTrue(rollback.message, rollback.message.contains("nothing to roll back to"));
        assertEquals("1", service(CounterService.class).version());
    }

    /**
     * A rollback asked while another update ran waits for it, then would undo that update instead of
     * the one its requester saw: with the version seen (as dsu:rollback passes it), it is refused.
     */
    @Test
    public void aRollbackOfAVersionThatChangedMeanwhileIsRefused() {
        CounterService counter = service(CounterService.class);
        counter.increment("a");
        assertSucceeded(update(COUNTER, "counter-v2"));
        UpdateOptionsDTO sawVersion1 = new UpdateOptionsDTO();
        sawVersion1.expectedVersion = "1.0.0";
        UpdateReportDTO stale = updateManager.rollback(COUNTER, sawVersion1);
        assertEquals(stale.message, UpdateReportDTO.REFUSED, stale.outcome);
        assertTrue(stale.message, stale.message.contains("org.graft.sample.counter runs 2.0.0 now, not 1.0.0 as when this rollback"
                + " was asked: another update changed it meanwhile"));
        assertEquals("2", counter.version());

        UpdateOptionsDTO sawVersion2 = new UpdateOptionsDTO();
        sawVersion2.expectedVersion = "2.0.0";
        assertSucceeded(updateManager.rollback(COUNTER, sawVersion2));
        assertEquals("1", counter.version());
        assertEquals(1L, counter.get("a"));
    }
}
