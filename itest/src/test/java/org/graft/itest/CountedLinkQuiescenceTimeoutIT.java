package org.graft.itest;

import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;

import org.ops4j.pax.exam.ExamFactory;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.OptionUtils;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.nat.internal.NativeTestContainerFactory;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;
import org.junit.Test;
import org.junit.runner.RunWith;

/** A service that never quiesces, behind the counted gate (the fallback where the direct link is off): the drain times out with calls held. */
@RunWith(PaxExam.class)
@ExamFactory(NativeTestContainerFactory.class)
@ExamReactorStrategy(PerMethod.class)
public class CountedLinkQuiescenceTimeoutIT extends StuckCallSupport {
    @Override
    protected Option[] testClassOptions() {
        return OptionUtils.combine(slowServices(), frameworkProperty("graft.proxy.link").value("counted"));
    }

    @Test
    public void aCallThatNeverReturnsAbortsTheUpdateAtTheDrain() throws Exception {
        assertACallThatNeverReturnsAbortsTheUpdate("drain", "{" + SLOW_COUNTER + "=1}");
    }
}
