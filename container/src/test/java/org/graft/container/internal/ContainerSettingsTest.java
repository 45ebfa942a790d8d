package org.graft.container.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.lang.reflect.Proxy;
import java.util.Hashtable;
import java.util.Map;
import java.util.Set;

import org.junit.Test;
import org.osgi.framework.BundleContext;

public class ContainerSettingsTest {
    private static BundleContext frameworkProperties(Map<String, String> properties) {
        return (BundleContext) Proxy.newProxyInstance(ContainerSettingsTest.class.getClassLoader(),
                new Class<?>[] {BundleContext.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getProperty")) {
                        return properties.get((String) args[0]);
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    public void configurationWinsAndNamesAreTrimmed() {
        Hashtable<String, Object> configuration = new Hashtable<>();
        configuration.put("managed.bundles", " a.b , c.d,,");
        configuration.put("hold.max.ms", "1500");
        ContainerSettings settings = ContainerSettings.fromConfiguration(
                frameworkProperties(Map.of("graft.hold.max.ms", "9")), configuration);
        assertEquals(Set.of("a.b", "c.d"), settings.managedBundles);
        assertEquals(1500L, settings.maxHoldMillis);
    }

    @Test
    public void withoutConfigurationTheFrameworkPropertiesApply() {
        ContainerSettings settings = ContainerSettings.fromConfiguration(
                frameworkProperties(Map.of("graft.managed.bundles", "x", "graft.hold.max.ms", "9")), null);
        assertEquals(Set.of("x"), settings.managedBundles);
        assertEquals(9L, settings.maxHoldMillis);
        assertEquals(60_000L, ContainerSettings.fromFramework(frameworkProperties(Map.of())).maxHoldMillis);
    }

    @Test
    public void anInvalidHoldIsRefusedNamingTheKey() {
        Hashtable<String, Object> configuration = new Hashtable<>();
        configuration.put("hold.max.ms", "soon");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ContainerSettings.fromConfiguration(frameworkProperties(Map.of()), configuration));
        assertTrue(e.getMessage(), e.getMessage().contains("hold.max.ms must be a number of milliseconds, not 'soon'"));
        configuration.put("hold.max.ms", "0");
        e = assertThrows(IllegalArgumentException.class,
                () -> ContainerSettings.fromConfiguration(frameworkProperties(Map.of()), configuration));
        assertTrue(e.getMessage(), e.getMessage().contains("hold.max.ms must be positive"));
    }

    @Test
    public void theProxyLinkIsCountedUnlessConfiguredDirect() {
        assertEquals(false, ContainerSettings.fromFramework(frameworkProperties(Map.of())).directLink);
        Hashtable<String, Object> configuration = new Hashtable<>();
        configuration.put("proxy.link", " direct ");
        assertTrue(ContainerSettings.fromConfiguration(frameworkProperties(Map.of()), configuration).directLink);
        configuration.put("proxy.link", "fast");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ContainerSettings.fromConfiguration(frameworkProperties(Map.of()), configuration));
        assertTrue(e.getMessage(), e.getMessage().contains("proxy.link must be direct or counted, not 'fast'"));
    }
}
