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

/**
 * Test 4: a service that never quiesces. Its stuck call took the direct path ({@code proxy.link=direct}), so the update fails while it waits for uncounted calls, before any call is held;
 * {@link CountedLinkQuiescenceTimeoutIT} runs the same behind the counted gate, where the drain times
 * out with calls held.
 */
@RunWith(PaxExam.class)
@ExamFactory(NativeTestContainerFactory.class)
@ExamReactorStrategy(PerMethod.class)
public class QuiescenceTimeoutIT extends StuckCallSupport {

    @Override
    protected Option[] testClassOptions() {
        return OptionUtils.combine(slowServices(), frameworkProperty("graft.proxy.link").value("direct"));
    }

    @Test
    public void aCallThatNeverReturnsAbortsTheUpdateAndVersion1ServesOnWithItsState() throws Exception {
        assertACallThatNeverReturnsAbortsTheUpdate("hold", "running on the old version, uncounted, on [thread \""
                + STUCK_THREAD + "\" in a call of " + SLOW_COUNTER + "]; calls were never held");
    }
}
