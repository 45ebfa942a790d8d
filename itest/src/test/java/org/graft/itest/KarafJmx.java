package org.graft.itest;

import static org.junit.Assert.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.RuntimeMBeanException;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

import org.osgi.service.cm.ConfigurationAdmin;

/** JMX connections to the Karaf under test, and what its guard and an MBean answer, for the Karaf tests. */
final class KarafJmx {
    private KarafJmx() {
    }

    /** A connection to Karaf's RMI connector, as jconsole makes it, authenticated against Karaf's realm. */
    static JMXConnector connect(ConfigurationAdmin configurationAdmin, String user, String password) throws Exception {
        Map<String, Object> management = new HashMap<>();
        var properties = configurationAdmin.getConfiguration("org.apache.karaf.management", null).getProperties();
        for (String key : List.of("rmiRegistryPort", "rmiServerPort")) {
            management.put(key, String.valueOf(properties.get(key)));
        }
        JMXServiceURL url = new JMXServiceURL("service:jmx:rmi://127.0.0.1:" + management.get("rmiServerPort") + "/jndi/rmi://127.0.0.1:"
                + management.get("rmiRegistryPort") + "/karaf-" + System.getProperty("karaf.name"));
        Map<String, Object> environment = new HashMap<>();
        environment.put(JMXConnector.CREDENTIALS, new String[] {user, password});
        return JMXConnectorFactory.connect(url, environment);
    }

    /** The MBean {@code org.apache.karaf:type=<type>,name=<karaf.name>}, once Karaf's JMX whiteboard registered it. */
    static ObjectName awaitMBean(MBeanServerConnection server, String type) throws Exception {
        ObjectName name = new ObjectName("org.apache.karaf:type=" + type + ",name=" + System.getProperty("karaf.name"));
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(KarafTestSupport.WAIT_SECONDS);
        KarafTestSupport.poll("the MBean " + name + " is registered", () -> {
            try {
                return server.isRegistered(name);
            } catch (java.io.IOException e) {
                throw new IllegalStateException("the JMX connection failed: " + e.getMessage(), e);
            }
        }, deadline);
        return name;
    }

    /** What the MBean threw, unwrapped from the RuntimeMBeanException the MBean server wraps it in. */
    static RuntimeException invokeExpectingFailure(MBeanServerConnection server, ObjectName mbean, String operation,
            Object[] parameters, String[] signature) throws Exception {
        try {
            Object result = server.invoke(mbean, operation, parameters, signature);
            throw new AssertionError(operation + " was expected to fail, but returned " + result);
        } catch (RuntimeMBeanException e) {
            return e.getTargetException();
        }
    }

    /** Karaf's JMX guard refuses the operation before it reaches the MBean. */
    static void expectDenied(MBeanServerConnection server, ObjectName mbean, String operation, Object[] parameters,
            String[] signature) throws Exception {
        try {
            Object result = server.invoke(mbean, operation, parameters, signature);
            throw new AssertionError("this user may not " + operation + ", yet it returned " + result);
        } catch (SecurityException e) {
            assertTrue("the guard names the missing role: " + e.getMessage(), e.getMessage() != null);
        }
    }
}
