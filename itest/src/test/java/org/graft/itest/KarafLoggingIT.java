package org.graft.itest;

import static org.junit.Assert.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.ExamFactory;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.karaf.container.internal.KarafTestContainerFactory;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * Graft's log in Karaf: its records name Graft's bundle as their origin (they go through the OSGi Log
 * Service), {@code log:set DEBUG org.graft} turns on the trail of each step, and an update's outcome
 * says who asked through which channel.
 */
@RunWith(PaxExam.class)
@ExamFactory(KarafTestContainerFactory.class)
@ExamReactorStrategy(PerClass.class)
public class KarafLoggingIT extends KarafTestSupport {
    private static final String COUNTER = "org.graft.sample.counter";

    @Test
    public void anUpdateIsLoggedByGraftsBundleWithItsStepsAtDebug() throws Exception {
        installSamples();
        execute("log:set DEBUG org.graft");
        try {
            String output = execute("dsu:update " + COUNTER + " " + sampleUrl("counter-v2"));
            Matcher id = Pattern.compile("(?m)^Update (\\d+) SUCCEEDED: ").matcher(output);
            assertTrue(output, id.find());
            String outcome = "Graft update " + id.group(1) + " SUCCEEDED (shell, user graft-itest): updated " + COUNTER;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
            poll("karaf.log has the outcome", () -> !karafLog(outcome).isEmpty(), deadline);
            String line = karafLog(outcome);
            assertTrue("the record names Graft's bundle, not the logging API's: " + line,
                    line.contains(" - org.graft.update.manager - "));
            String transfer = karafLog("Graft update " + id.group(1) + ": step transfer OK in ");
            assertTrue("log:set DEBUG org.graft shows each step: " + karafLog("Graft update " + id.group(1)),
                    transfer.contains("DEBUG"));
        } finally {
            execute("dsu:rollback " + COUNTER);
            execute("log:set INFO org.graft");
        }
    }
}
