package org.graft.update.internal.config;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;

import org.junit.Test;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationException;
import org.osgi.service.cm.ManagedService;

/**
 * What ConfigAdmin delivers for {@value WatchFolderSettings#PID} is applied whole or not at all: an
 * invalid value of any key is refused naming the key and its value, and every setting stays.
 */
public class UpdateManagerConfigurationTest {
    private final List<Object> applied = new ArrayList<>();
    private final ManagedService configuration = register();

    /** Each key of the PID with a value it must refuse. */
    private static final Map<String, String> INVALID = Map.of(
            HistorySettings.MAX_REPORTS, "0",
            JarPolicy.SCHEMES, "file, ht tp",
            JarPolicy.MAX_MB, "4096",
            WatchFolderSettings.FOLDER, "${no.such.property}/dsu",
            WatchFolderSettings.INTERVAL, "-1",
            WatchFolderSettings.INSTALL_NEW, "sometimes");

    private ManagedService register() {
        ManagedService[] registered = new ManagedService[1];
        BundleContext context = (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {BundleContext.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getProperty" -> null;
                    case "registerService" -> {
                        registered[0] = (ManagedService) args[1];
                        yield null;
                    }
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        UpdateManagerConfiguration.register(context, () -> 7, applied::add, applied::add, applied::add);
        return registered[0];
    }

    private static Hashtable<String, Object> valid() {
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(HistorySettings.MAX_REPORTS, "20");
        properties.put(JarPolicy.SCHEMES, "file, mvn, https");
        properties.put(JarPolicy.MAX_MB, "64");
        properties.put(WatchFolderSettings.FOLDER, "/opt/karaf/dsu");
        properties.put(WatchFolderSettings.INTERVAL, "500");
        properties.put(WatchFolderSettings.INSTALL_NEW, "false");
        return properties;
    }

    @Test
    public void aValidConfigurationIsAppliedWhole() throws Exception {
        configuration.updated(valid());
        assertEquals(3, applied.size());
        assertEquals(20, applied.get(0));
    }

    @Test
    public void anInvalidValueOfAnyKeyIsRefusedNamingItAndNothingIsApplied() {
        assertEquals("every key of the PID is tried", 6, INVALID.size());
        assertEquals(INVALID.keySet(), valid().keySet());
        for (Map.Entry<String, String> invalid : INVALID.entrySet()) {
            Hashtable<String, Object> properties = valid();
            properties.put(invalid.getKey(), invalid.getValue());
            ConfigurationException refused = assertThrows(invalid.toString(), ConfigurationException.class,
                    () -> configuration.updated(properties));
            String reason = refused.getReason();
            assertTrue(invalid + " is refused naming the key: " + reason, reason.contains(invalid.getKey()));
            assertTrue(invalid + " is refused naming the value: " + reason, reason.contains(invalid.getValue()));
            assertEquals(invalid + ": nothing applied", List.of(), applied);
        }
    }
}
