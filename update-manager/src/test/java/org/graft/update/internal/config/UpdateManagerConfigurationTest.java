package org.graft.update.internal.config;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;

import org.graft.update.internal.trust.JarSignatures;
import org.junit.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
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
            WatchFolderSettings.INSTALL_NEW, "sometimes",
            JarPolicy.KEYSTORE, "/no/such/trust.p12",
            // with no keystore: refused, but a password is never repeated in a message
            JarPolicy.KEYSTORE_PASSWORD, "secret");

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
        properties.put(JarPolicy.KEYSTORE, "");
        properties.put(JarPolicy.KEYSTORE_PASSWORD, "");
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
        assertEquals("every key of the PID is tried", 8, INVALID.size());
        assertEquals(INVALID.keySet(), valid().keySet());
        for (Map.Entry<String, String> invalid : INVALID.entrySet()) {
            Hashtable<String, Object> properties = valid();
            properties.put(invalid.getKey(), invalid.getValue());
            ConfigurationException refused = assertThrows(invalid.toString(), ConfigurationException.class,
                    () -> configuration.updated(properties));
            String reason = refused.getReason();
            assertTrue(invalid + " is refused naming the key: " + reason, reason.contains(invalid.getKey()));
            if (invalid.getKey().equals(JarPolicy.KEYSTORE_PASSWORD)) {
                assertTrue("the password is not repeated: " + reason, !reason.contains(invalid.getValue()));
            } else {
                assertTrue(invalid + " is refused naming the value: " + reason, reason.contains(invalid.getValue()));
            }
            assertEquals(invalid + ": nothing applied", List.of(), applied);
        }
    }

    /**
     * At start, before ConfigAdmin calls back, the policy is read at once; one that cannot be read may
     * have meant a keystore, so every jar is refused until it is fixed rather than none checked.
     */
    @Test
    public void aConfigurationThatCannotBeReadAtStartRefusesEveryJar() throws Exception {
        Hashtable<String, Object> properties = valid();
        properties.put(JarPolicy.KEYSTORE, "/no/such/trust.p12");
        Configuration stored = (Configuration) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Configuration.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("getProperties")) {
                        return properties;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        ConfigurationAdmin admin = (ConfigurationAdmin) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ConfigurationAdmin.class}, (proxy, method, args) -> {
                    if (method.getName().equals("listConfigurations")) {
                        return new Configuration[] {stored};
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        ServiceReference<?> reference = (ServiceReference<?>) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ServiceReference.class}, (proxy, method, args) -> {
                    throw new UnsupportedOperationException(method.getName());
                });
        BundleContext context = (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {BundleContext.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getServiceReference" -> reference;
                    case "getService" -> admin;
                    case "ungetService" -> true;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        JarPolicy policy = UpdateManagerConfiguration.jarPolicyAtStart(context);
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> policy.signatures().check("file:/opt/counter-2.jar", new JarSignatures()));
        assertTrue(refused.getMessage(), refused.getMessage().startsWith("file:/opt/counter-2.jar is not applied: the configuration"
                + " org.graft.update is invalid (signature.keystore names /no/such/trust.p12, which cannot be read"));
        assertTrue(refused.getMessage(), refused.getMessage().endsWith("and no update is applied until it is fixed"));
    }
}
