package org.graft.container.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertSame;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * A staged service's instance is got from the framework without a lock held (getService runs the
 * provider's activation, which may call back into the framework), and racing getters end with one use.
 */
public class StagedServiceEntryTest {
    private final AtomicInteger gets = new AtomicInteger();
    private final AtomicInteger ungets = new AtomicInteger();
    private final AtomicReference<StagedServiceEntry> entry = new AtomicReference<>();
    private final List<Boolean> lockedDuringGet = new ArrayList<>();
    /** Lets two getters be inside getService at once. */
    private final CountDownLatch bothInside = new CountDownLatch(2);

    @Test
    public void theInstanceIsGotWithoutHoldingALockAndRacingGettersShareOneUse() throws Exception {
        ServiceReference<?> reference = stub(ServiceReference.class, (name, args) -> name.equals("getProperty")
                ? new String[] {"org.example.Service"} : null);
        BundleContext context = stub(BundleContext.class, (name, args) -> {
            if (name.equals("getService")) {
                synchronized (lockedDuringGet) {
                    lockedDuringGet.add(Thread.holdsLock(entry.get()));
                }
                gets.incrementAndGet();
                bothInside.countDown();
                bothInside.await(1, TimeUnit.SECONDS);
                return new Object();
            }
            if (name.equals("ungetService")) {
                ungets.incrementAndGet();
                return true;
            }
            return null;
        });
        entry.set(new StagedServiceEntry("org.example.service", reference, context));

        ExecutorService getters = Executors.newFixedThreadPool(2);
        try {
            Future<Object> first = getters.submit(() -> entry.get().implementation());
            Future<Object> second = getters.submit(() -> entry.get().implementation());
            assertSame("both getters see one instance", first.get(10, TimeUnit.SECONDS), second.get(10, TimeUnit.SECONDS));
        } finally {
            getters.shutdownNow();
        }
        assertFalse("getService was called while the entry's lock was held: " + lockedDuringGet, lockedDuringGet.contains(true));
        assertEquals("one use of the service remains, the one the entry keeps", 1, gets.get() - ungets.get());
        assertSame(entry.get().implementation(), entry.get().implementation());
    }

    /** What the stub does for a method name; null for methods the test does not need. */
    interface Behaviour {
        Object answer(String method, Object[] args) throws Exception;
    }

    private static <T> T stub(Class<T> type, Behaviour behaviour) {
        return type.cast(Proxy.newProxyInstance(StagedServiceEntryTest.class.getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> {
                    if (method.getDeclaringClass() == Object.class) {
                        return method.getName().equals("equals") ? proxy == args[0]
                                : method.getName().equals("hashCode") ? System.identityHashCode(proxy) : type.getSimpleName();
                    }
                    Object answer = behaviour.answer(method.getName(), args);
                    return answer == null && method.getReturnType() == boolean.class ? false : answer;
                }));
    }
}
