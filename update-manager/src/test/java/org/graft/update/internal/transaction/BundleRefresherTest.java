package org.graft.update.internal.transaction;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.lang.reflect.Proxy;
import java.util.Collection;
import java.util.List;

import org.junit.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.FrameworkListener;
import org.osgi.framework.wiring.FrameworkWiring;

/**
 * How a refresh's end is read: only PACKAGES_REFRESHED ends it, and an ERROR delivered before it is
 * reported, not taken for success. (Felix itself tells a refresh's listeners only PACKAGES_REFRESHED;
 * the specification lets a framework tell them errors too.)
 */
public class BundleRefresherTest {
    private static final Bundle RETIRED = stub(Bundle.class, "org.example.retired");

    @SuppressWarnings("unchecked")
    private static <T> T stub(Class<T> type, Object answer) {
        return (T) Proxy.newProxyInstance(BundleRefresherTest.class.getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getSymbolicName" -> answer;
                    case "toString" -> "stub " + answer;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    /** A framework that answers a refresh with the given events, on the calling thread. */
    private static FrameworkWiring wiring(int... events) {
        return (FrameworkWiring) Proxy.newProxyInstance(BundleRefresherTest.class.getClassLoader(),
                new Class<?>[] {FrameworkWiring.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getDependencyClosure" -> List.copyOf((Collection<?>) args[0]);
                    case "refreshBundles" -> {
                        for (int type : events) {
                            for (FrameworkListener listener : (FrameworkListener[]) args[1]) {
                                listener.frameworkEvent(new FrameworkEvent(type, RETIRED,
                                        type == FrameworkEvent.ERROR ? new BundleException("stop failed on purpose") : null));
                            }
                        }
                        yield null;
                    }
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    public void aRefreshThatEndsCleanlyIsReportedAsSuch() throws Exception {
        assertEquals("retired version refreshed away",
                new BundleRefresher(wiring(FrameworkEvent.PACKAGES_REFRESHED)).refreshIfAlone(List.of(RETIRED)));
    }

    @Test
    public void anErrorDuringTheRefreshIsReportedWithItsBundleAndCause() throws Exception {
        String done = new BundleRefresher(wiring(FrameworkEvent.ERROR, FrameworkEvent.PACKAGES_REFRESHED))
                .refreshIfAlone(List.of(RETIRED));
        assertTrue(done, done.startsWith("retired version refreshed, with errors: "));
        assertTrue("names the bundle and the cause: " + done, done.contains("org.example.retired") && done.contains("stop failed on purpose"));
    }
}
