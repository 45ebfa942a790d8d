package org.graft.itest;

import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.ExamFactory;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.OptionUtils;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.nat.internal.NativeTestContainerFactory;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;

/** A re-entrant call behind the counted gate: it passes the gate the drain holds. */
@RunWith(PaxExam.class)
@ExamFactory(NativeTestContainerFactory.class)
@ExamReactorStrategy(PerMethod.class)
public class CountedLinkNestedCallsIT extends ReentrantCallSupport {
    @Override
    protected Option[] testClassOptions() {
        return OptionUtils.combine(slowServices(), frameworkProperty("graft.proxy.link").value("counted"));
    }

    @Test
    public void reentrantCallDuringTheDrainPassesTheHeldGate() throws Exception {
        assertAReentrantCallDoesNotDeadlockTheUpdate("drain");
    }
}
