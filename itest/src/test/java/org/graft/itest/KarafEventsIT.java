package org.graft.itest;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.ExamFactory;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.karaf.container.internal.KarafTestContainerFactory;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;

/**
 * Graft's EventAdmin events in the distribution, as a monitoring bundle sees them: an update from the
 * shell, its rollback, and a refused update, each from STARTED through its steps to its outcome, with
 * who asked, through which channel, and which bundles.
 */
@RunWith(PaxExam.class)
@ExamFactory(KarafTestContainerFactory.class)
@ExamReactorStrategy(PerClass.class)
public class KarafEventsIT extends KarafTestSupport {
    private static final String COUNTER = "org.graft.sample.counter";

    @Test
    public void anUpdateItsRollbackAndARefusalArePostedFromStartToOutcome() throws Exception {
        installSamples();
        BlockingQueue<Event> events = new LinkedBlockingQueue<>();
        Hashtable<String, Object> topics = new Hashtable<>();
        topics.put(EventConstants.EVENT_TOPIC, "org/graft/update/*");
        ServiceRegistration<EventHandler> handler = context.registerService(EventHandler.class, events::add, topics);
        try {
            execute("dsu:update " + COUNTER + " " + sampleUrl("counter-v2"));
            List<Event> update = untilOutcome(events);
            assertEquals(String.valueOf(topics(update)), "org/graft/update/STARTED", update.get(0).getTopic());
            assertEquals(String.valueOf(topics(update)), "org/graft/update/SUCCEEDED", update.get(update.size() - 1).getTopic());
            List<String> steps = new ArrayList<>();
            for (Event step : update.subList(1, update.size() - 1)) {
                assertEquals("org/graft/update/STEP", step.getTopic());
                assertEquals(step.getProperty("step") + " is OK", "OK", step.getProperty("step.status"));
                steps.add((String) step.getProperty("step"));
            }
            assertEquals(List.of("resolve", "install", "plan", "start", "activate", "rehearse", "hold", "drain", "suspend", "transfer",
                    "resume", "swap", "retire"), steps);
            Event succeeded = update.get(update.size() - 1);
            assertEquals("shell", succeeded.getProperty("channel"));
            assertEquals("the shell session's user", "graft-itest", succeeded.getProperty("user"));
            assertEquals("update", succeeded.getProperty("update.kind"));
            assertEquals(COUNTER, succeeded.getProperty("bundle.symbolicName"));
            assertEquals("1.0.0", succeeded.getProperty("bundle.version.from"));
            assertEquals("2.0.0", succeeded.getProperty("bundle.version.to"));
            assertArrayEquals(new String[] {COUNTER + " 1.0.0 -> 2.0.0"}, (String[]) succeeded.getProperty("bundles"));
            assertTrue("calls were held: " + succeeded, (Long) succeeded.getProperty("timings.held.micros") > 0);
            assertEquals("every event names the same update", succeeded.getProperty("update.id"), update.get(0).getProperty("update.id"));

            execute("dsu:rollback " + COUNTER);
            List<Event> rollback = untilOutcome(events);
            assertEquals("org/graft/update/ROLLED_BACK", rollback.get(rollback.size() - 1).getTopic());
            assertEquals("rollback", rollback.get(0).getProperty("update.kind"));

            // refused at its plan: the new version would drop a field of the state
            try {
                execute("dsu:update " + COUNTER + " " + Fixtures.url("counter-v2-drops-field"));
            } catch (Exception refused) {
                assertTrue(refused.getMessage(), refused.getMessage().contains("REFUSED"));
            }
            List<Event> refusal = untilOutcome(events);
            Event refused = refusal.get(refusal.size() - 1);
            assertEquals(String.valueOf(topics(refusal)), "org/graft/update/REFUSED", refused.getTopic());
            assertEquals("plan", refused.getProperty("failed.step"));
            assertTrue(String.valueOf(refused.getProperty("message")),
                    String.valueOf(refused.getProperty("message")).contains("'operations'"));

            // rejected before it became an update: only its outcome is posted, with no update id
            try {
                execute("dsu:update " + COUNTER + " file:/no/such.jar");
            } catch (Exception rejected) {
                assertTrue(rejected.getMessage(), rejected.getMessage().startsWith("Update REFUSED: "));
            }
            Event rejected = events.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            assertNotNull("the rejection is posted", rejected);
            assertEquals("org/graft/update/REFUSED", rejected.getTopic());
            assertEquals(0L, rejected.getProperty("update.id"));
            assertTrue(String.valueOf(rejected.getProperty("message")),
                    String.valueOf(rejected.getProperty("message")).contains("file:/no/such.jar"));
        } finally {
            handler.unregister();
        }
    }

    /** The events of one update, from STARTED to its outcome. */
    private static List<Event> untilOutcome(BlockingQueue<Event> events) throws InterruptedException {
        List<Event> received = new ArrayList<>();
        while (true) {
            Event event = events.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            assertNotNull("no outcome event within " + WAIT_SECONDS + " s after " + topics(received), event);
            received.add(event);
            if (!event.getTopic().endsWith("/STARTED") && !event.getTopic().endsWith("/STEP")) {
                return received;
            }
        }
    }

    private static List<String> topics(List<Event> events) {
        List<String> topics = new ArrayList<>();
        for (Event event : events) {
            topics.add(event.getTopic() + (event.getProperty("step") == null ? "" : " " + event.getProperty("step")));
        }
        return topics;
    }
}
