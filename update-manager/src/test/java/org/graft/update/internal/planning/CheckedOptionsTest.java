package org.graft.update.internal.planning;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import org.graft.update.dto.UpdateOptionsDTO;
import org.junit.Test;

/** Options that cannot work are refused before an update begins, naming the option and the value. */
public class CheckedOptionsTest {
    @Test
    public void theDefaultsPass() throws Refusal {
        UpdateOptionsDTO options = new UpdateOptionsDTO();
        assertSame(options, UpdatePlanner.checkedOptions(options));
        assertEquals(UpdateOptionsDTO.DRAIN, UpdatePlanner.checkedOptions(null).strategy);
    }

    @Test
    public void aTimeoutThatIsNotPositiveIsRefusedNamingIt() {
        UpdateOptionsDTO negativeDrain = new UpdateOptionsDTO();
        negativeDrain.quiescenceTimeoutMillis = -5;
        assertRefused(negativeDrain, "the drain timeout (--drain-timeout) must be a positive number of ms, not -5");
        UpdateOptionsDTO zeroTransfer = new UpdateOptionsDTO();
        zeroTransfer.transferTimeoutMillis = 0;
        assertRefused(zeroTransfer, "the transfer timeout (--transfer-timeout) must be a positive number of ms, not 0");
    }

    @Test
    public void anUnknownStrategyIsRefused() {
        UpdateOptionsDTO options = new UpdateOptionsDTO();
        options.strategy = "bogus";
        assertRefused(options, "unknown strategy 'bogus'");
    }

    private static void assertRefused(UpdateOptionsDTO options, String reason) {
        try {
            UpdatePlanner.checkedOptions(options);
            fail("accepted: " + reason);
        } catch (Refusal refusal) {
            assertTrue(refusal.getMessage(), refusal.getMessage().contains(reason));
        }
    }
}
