package org.graft.update.internal.config;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.Hashtable;

import org.junit.Test;

public class JarPolicyTest {
    @Test
    public void byDefaultOnlyFileAndMavenLocationsAreRead() {
        JarPolicy policy = JarPolicy.DEFAULT;
        policy.checkLocation("file:/opt/karaf/counter-2.jar");
        policy.checkLocation("mvn:org.example/counter/2.0.0");
        for (String refused : new String[] {"http://example.org/counter.jar", "ftp://example.org/c.jar", "jar:file:/x.jar!/",
                "/opt/karaf/counter-2.jar", "FILE:/x.jar".replace("FILE", "wrap:file")}) {
            IllegalArgumentException e = assertThrows(refused, IllegalArgumentException.class, () -> policy.checkLocation(refused));
            assertTrue(e.getMessage(), e.getMessage().contains("'" + refused + "' is not read: updates read only file: and mvn: locations"));
            assertTrue(e.getMessage(), e.getMessage().contains("update.location.schemes"));
        }
        assertEquals(64L * 1024 * 1024, policy.maxBytes());
    }

    @Test
    public void schemesMatchWhateverTheirCase() {
        JarPolicy.DEFAULT.checkLocation("File:/opt/karaf/counter-2.jar");
    }

    @Test
    public void theConfigurationWidensOrOpensIt() {
        Hashtable<String, Object> configuration = new Hashtable<>();
        configuration.put(JarPolicy.SCHEMES, "file, mvn, https");
        configuration.put(JarPolicy.MAX_MB, "8");
        JarPolicy policy = JarPolicy.fromConfiguration(null, configuration);
        policy.checkLocation("https://example.org/counter.jar");
        assertThrows(IllegalArgumentException.class, () -> policy.checkLocation("http://example.org/counter.jar"));
        assertEquals(8L * 1024 * 1024, policy.maxBytes());
        JarPolicy.of("*", null).checkLocation("http://example.org/counter.jar");
    }

    @Test
    public void invalidValuesNameTheirKey() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> JarPolicy.of("file;mvn", null)).getMessage()
                .contains(JarPolicy.SCHEMES));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> JarPolicy.of(null, "lots")).getMessage()
                .contains(JarPolicy.MAX_MB + " must be a whole number of MB, not 'lots'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> JarPolicy.of(null, "0")).getMessage()
                .contains("between 1 and 2047"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> JarPolicy.of(null, "4096")).getMessage()
                .contains("between 1 and 2047"));
    }
}
