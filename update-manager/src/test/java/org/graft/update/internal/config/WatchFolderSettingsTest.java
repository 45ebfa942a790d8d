package org.graft.update.internal.config;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.lang.reflect.Proxy;
import java.nio.file.Paths;
import java.util.Hashtable;
import java.util.Map;

import org.junit.Test;
import org.osgi.framework.BundleContext;

public class WatchFolderSettingsTest {
    private static BundleContext frameworkProperties(Map<String, String> properties) {
        return (BundleContext) Proxy.newProxyInstance(WatchFolderSettingsTest.class.getClassLoader(),
                new Class<?>[] {BundleContext.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getProperty")) {
                        return properties.get((String) args[0]);
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    public void placeholdersAreExpandedFromFrameworkProperties() {
        Hashtable<String, Object> configuration = new Hashtable<>();
        configuration.put("watch.folder", "${karaf.base}/dsu");
        configuration.put("watch.interval.ms", "250");
        WatchFolderSettings settings = WatchFolderSettings.fromConfiguration(
                frameworkProperties(Map.of("karaf.base", "/opt/karaf")), configuration);
        assertEquals(Paths.get("/opt/karaf/dsu"), settings.folder());
        assertEquals(250L, settings.intervalMillis());
    }

    @Test
    public void noFolderMeansNoWatchFolder() {
        WatchFolderSettings settings = WatchFolderSettings.fromFramework(frameworkProperties(Map.of()));
        assertNull(settings.folder());
        assertEquals(WatchFolderSettings.DEFAULT_INTERVAL_MILLIS, settings.intervalMillis());
    }

    @Test
    public void anUnknownPlaceholderOrABadIntervalIsRefusedNamingTheKey() {
        Hashtable<String, Object> configuration = new Hashtable<>();
        configuration.put("watch.folder", "${nowhere}/dsu");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> WatchFolderSettings.fromConfiguration(frameworkProperties(Map.of()), configuration));
        assertTrue(e.getMessage(), e.getMessage().contains("${nowhere}, which is not set"));
        configuration.put("watch.folder", "/tmp/dsu");
        configuration.put("watch.interval.ms", "-5");
        e = assertThrows(IllegalArgumentException.class,
                () -> WatchFolderSettings.fromConfiguration(frameworkProperties(Map.of()), configuration));
        assertTrue(e.getMessage(), e.getMessage().contains("watch.interval.ms must be positive"));
    }
}
