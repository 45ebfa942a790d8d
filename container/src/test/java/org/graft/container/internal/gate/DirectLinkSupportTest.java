package org.graft.container.internal.gate;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Optional;

import org.junit.Test;

public class DirectLinkSupportTest {
    @Test
    public void hotSpotOnJava17LinksDirectly() {
        assertEquals(Optional.empty(), DirectLinkSupport.check("OpenJDK 64-Bit Server VM", "17.0.15+6", 17, List.of("-Xmx1g")));
        assertEquals(Optional.empty(), DirectLinkSupport.check("Java HotSpot(TM) 64-Bit Server VM", "17.0.2+8", 17, List.of()));
    }

    @Test
    public void anotherVmCountsEveryCall() {
        String reason = DirectLinkSupport.check("Eclipse OpenJ9 VM", "openj9-0.40", 17, List.of()).orElseThrow();
        assertTrue(reason, reason.contains("Eclipse OpenJ9 VM, not HotSpot"));
    }

    @Test
    public void graalAsTheJitCountsEveryCall() {
        assertTrue(DirectLinkSupport.check("OpenJDK 64-Bit Server VM", "17.0.9+9-jvmci-23.0-b22", 17, List.of()).isPresent());
        assertTrue(DirectLinkSupport.check("OpenJDK 64-Bit Server VM", "17.0.9", 17,
                List.of("-XX:+UnlockExperimentalVMOptions", "-XX:+UseJVMCICompiler")).isPresent());
    }

    @Test
    public void javaWithVirtualThreadsCountsEveryCall() {
        String reason = DirectLinkSupport.check("OpenJDK 64-Bit Server VM", "21.0.2+13", 21, List.of()).orElseThrow();
        assertTrue(reason, reason.contains("virtual threads"));
    }
}
