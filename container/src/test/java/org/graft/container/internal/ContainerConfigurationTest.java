package org.graft.container.internal;

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
 * What ConfigAdmin delivers for {@value ContainerSettings#PID} is applied whole or not at all: an
 * invalid value of any key is refused naming the key and its value, and the settings in force stay.
 */
public class ContainerConfigurationTest {
    private final List<ContainerSettings> applied = new ArrayList<>();
    private final ManagedService configuration = register();

    /** Each key of the PID with a value it must refuse. */
    private static final Map<String, String> INVALID = Map.of(
            ContainerSettings.MANAGED_BUNDLES, "org.example.a, org example b",
            ContainerSettings.MAX_HOLD, "-5",
            ContainerSettings.IDENTITY_PROPERTY, "graft identity",
            ContainerSettings.STATE_FIELDS, "org.example.cache: entries, 2nd",
            ContainerSettings.STATE_STRICT, "mostly",
            ContainerSettings.PROXY_LINK, "fast");

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
        ContainerConfiguration.register(context, applied::add);
        return registered[0];
    }

    private static Hashtable<String, Object> valid() {
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(ContainerSettings.MANAGED_BUNDLES, "org.example.a, org.example-b");
        properties.put(ContainerSettings.MAX_HOLD, "2000");
        properties.put(ContainerSettings.IDENTITY_PROPERTY, "graft.identity");
        properties.put(ContainerSettings.STATE_FIELDS, "org.example.cache: entries, hits");
        properties.put(ContainerSettings.STATE_STRICT, "true");
        properties.put(ContainerSettings.PROXY_LINK, "direct");
        return properties;
    }

    @Test
    public void aValidConfigurationIsApplied() throws Exception {
        configuration.updated(valid());
        assertEquals(1, applied.size());
        assertEquals(2000L, applied.get(0).maxHoldMillis);
    }

    @Test
    public void anInvalidValueOfAnyKeyIsRefusedNamingItAndNothingIsApplied() {
        assertEquals("every key of the PID is tried", INVALID.keySet(), valid().keySet());
        for (Map.Entry<String, String> invalid : INVALID.entrySet()) {
            Hashtable<String, Object> properties = valid();
            properties.put(invalid.getKey(), invalid.getValue());
            ConfigurationException refused = assertThrows(invalid.toString(), ConfigurationException.class,
                    () -> configuration.updated(properties));
            String reason = refused.getReason();
            assertTrue(invalid + " is refused naming the key: " + reason, reason.contains(invalid.getKey()));
            String named = invalid.getValue().contains(",") ? invalid.getValue().substring(invalid.getValue().lastIndexOf(',') + 1).trim()
                    : invalid.getValue();
            assertTrue(invalid + " is refused naming the value: " + reason, reason.contains(named));
            assertEquals(invalid + ": nothing applied", List.of(), applied);
        }
    }
}
