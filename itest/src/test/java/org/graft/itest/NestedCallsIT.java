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
 * Test 3: a call that re-enters its own service while the update waits for it does not deadlock it.
 * Here the outer call took the direct path ({@code proxy.link=direct}), so the update waits for it in the hold step, before calls
 * are held, and the inner call runs counted; {@link CountedLinkNestedCallsIT} runs the same behind the
 * counted gate, where the inner call must pass the held gate during the drain.
 */
@RunWith(PaxExam.class)
@ExamFactory(NativeTestContainerFactory.class)
@ExamReactorStrategy(PerMethod.class)
public class NestedCallsIT extends ReentrantCallSupport {

    @Override
    protected Option[] testClassOptions() {
        return OptionUtils.combine(slowServices(), frameworkProperty("graft.proxy.link").value("direct"));
    }

    @Test
    public void reentrantCallDuringTheUnlinkWaitGoesOn() throws Exception {
        assertAReentrantCallDoesNotDeadlockTheUpdate("hold");
    }
}
