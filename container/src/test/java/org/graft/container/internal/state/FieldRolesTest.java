package org.graft.container.internal.state;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

import org.junit.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/** Wiring is told from state by the field's type, its superclasses and interfaces. */
public class FieldRolesTest {
    static class Service {
        BundleContext context;
        ServiceRegistration<?> registration;
        ScheduledThreadPoolExecutor sweeper;
        ExecutorService pool;
        System.Logger log;
        Runnable task;
        org.osgi.framework.BundleListener listener;
        /** A class of the bundle's own that listens to framework events and holds a history. */
        History history2;
        Map<String, Long> counts;
        List<String> history;
        long total;
        Object anything;
    }

    static class History implements org.osgi.framework.BundleListener, org.osgi.framework.FrameworkListener {
        final List<String> entries = new java.util.ArrayList<>();

        @Override
        public void bundleChanged(org.osgi.framework.BundleEvent event) {
            entries.add(event.toString());
        }

        @Override
        public void frameworkEvent(org.osgi.framework.FrameworkEvent event) {
            entries.add(event.toString());
        }
    }

    private static String roleOf(String field) throws NoSuchFieldException {
        return FieldRoles.wiring(Service.class.getDeclaredField(field), Service.class);
    }

    @Test
    public void frameworkObjectsThreadsAndLoggersAreWiring() throws Exception {
        assertTrue(roleOf("context"), roleOf("context").contains("org.osgi.framework.BundleContext"));
        assertTrue(roleOf("registration"), roleOf("registration").contains("ServiceRegistration"));
        assertTrue("an executor found through its superclasses", roleOf("sweeper").contains("java.util.concurrent.Executor"));
        assertTrue(roleOf("pool").contains("java.util.concurrent.Executor"));
        assertTrue(roleOf("log").contains("java.lang.System$Logger"));
    }

    @Test
    public void aListenerFieldIsWiringButAClassOfTheBundleThatListensIsState() throws Exception {
        assertTrue(roleOf("listener"), roleOf("listener").contains("BundleListener"));
        assertNull("a class that implements listeners may hold state (a log's history)", roleOf("history2"));
    }

    @Test
    public void jdkValuesAreState() throws Exception {
        for (String field : List.of("counts", "history", "total", "anything", "task")) {
            assertNull(field + " is state", roleOf(field));
        }
    }

    @Test
    public void anInterfaceOfAnotherLoaderIsAReferenceToAnotherService() throws Exception {
        // Seen from a class of another loader, BundleContext is "another bundle's interface" too; the
        // known-wiring answer comes first.
        assertEquals("framework wiring (org.osgi.framework.BundleContext)", roleOf("context"));
    }
}
