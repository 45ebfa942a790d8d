package org.graft.update.internal.config;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.lang.reflect.Proxy;
import java.util.Hashtable;
import java.util.Map;

import org.junit.Test;
import org.osgi.framework.BundleContext;

public class HistorySettingsTest {
    private static BundleContext frameworkProperties(Map<String, String> properties) {
        return (BundleContext) Proxy.newProxyInstance(HistorySettingsTest.class.getClassLoader(),
                new Class<?>[] {BundleContext.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getProperty")) {
                        return properties.get((String) args[0]);
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    public void nothingSetMeansTheDefault() {
        assertEquals(HistorySettings.DEFAULT_MAX_REPORTS, HistorySettings.fromFramework(frameworkProperties(Map.of())).maxReports());
        assertEquals(HistorySettings.DEFAULT_MAX_REPORTS,
                HistorySettings.fromConfiguration(frameworkProperties(Map.of()), new Hashtable<>()).maxReports());
    }

    @Test
    public void theConfigurationWinsAndNoConfigurationFallsBackToTheFrameworkProperty() {
        BundleContext context = frameworkProperties(Map.of("graft.history.max.reports", "7"));
        assertEquals(7, HistorySettings.fromFramework(context).maxReports());
        assertEquals(7, HistorySettings.fromConfiguration(context, null).maxReports());
        Hashtable<String, Object> configuration = new Hashtable<>();
        configuration.put("history.max.reports", " 250 ");
        assertEquals(250, HistorySettings.fromConfiguration(context, configuration).maxReports());
        configuration.put("history.max.reports", 40); // a typed configuration (e.g. an Integer) is read as well
        assertEquals(40, HistorySettings.fromConfiguration(context, configuration).maxReports());
    }

    @Test
    public void zeroNegativeOrNotANumberIsRefusedNamingTheKeyAndTheValue() {
        for (String bad : new String[] {"0", "-3", "many", "1.5"}) {
            Hashtable<String, Object> configuration = new Hashtable<>();
            configuration.put("history.max.reports", bad);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> HistorySettings.fromConfiguration(frameworkProperties(Map.of()), configuration));
            assertTrue(e.getMessage(), e.getMessage().startsWith("history.max.reports must be"));
            assertTrue(e.getMessage(), e.getMessage().contains(bad));
        }
    }

    @Test
    public void anInvalidValueKeepsTheBoundInForce() {
        BundleContext context = frameworkProperties(Map.of("graft.history.max.reports", "0"));
        assertEquals(30, HistorySettings.maxReportsOr(30, () -> HistorySettings.fromFramework(context)));
        assertEquals(5, HistorySettings.maxReportsOr(30,
                () -> HistorySettings.fromFramework(frameworkProperties(Map.of("graft.history.max.reports", "5")))));
    }
}
