package org.graft.container.internal.state;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotSame;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.graft.container.StateEntryPlan;
import org.graft.container.StateEntryPlan.Action;
import org.graft.container.StatePlan;
import org.junit.Test;
import org.osgi.framework.Version;

/**
 * State in a bundle's own classes that a release did not change, carried into the next version's
 * classes of the same names: each "version" is the same class files loaded by a loader of its own, as
 * two bundles would load them.
 */
public class StructuralCopyTest {
    private static final String PACKAGE = "org.graft.container.internal.state.structural";

    /** Loads the classes of {@link #PACKAGE} itself, child first; everything else from the test's loader. */
    static final class VersionLoader extends ClassLoader {
        VersionLoader() {
            super(StructuralCopyTest.class.getClassLoader());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith(PACKAGE + ".")) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> loaded = findLoadedClass(name);
                if (loaded == null) {
                    try (InputStream in = getParent().getResourceAsStream(name.replace('.', '/') + ".class")) {
                        byte[] bytes = in.readAllBytes();
                        loaded = defineClass(name, bytes, 0, bytes.length);
                    } catch (IOException | NullPointerException e) {
                        throw new ClassNotFoundException(name, e);
                    }
                }
                return loaded;
            }
        }
    }

    @Test
    public void aRingOfTheBundlesOwnClassesIsCopiedWithItsCyclesSharingAndSharedObjects() throws Exception {
        Class<?> v1 = new VersionLoader().loadClass(PACKAGE + ".RingService");
        Class<?> v2 = new VersionLoader().loadClass(PACKAGE + ".RingService");
        assertNotSame("two versions of the class", v1, v2);

        StatePlan plan = StatePlanner.plan(v1, new Version(1, 0, 0), v2, new Version(2, 0, 0));
        Map<String, StateEntryPlan> entries = plan.entries().stream().collect(Collectors.toMap(StateEntryPlan::name,
                Function.identity()));
        assertEquals(plan.refusal().toString(), false, plan.refusal().isPresent());
        assertEquals(Action.CONVERTED, entries.get("ring").action());
        assertTrue(entries.get("ring").reason(), entries.get("ring").reason().contains("copied object by object"));

        Object old = v1.getConstructor().newInstance();
        Object ring = call(old, "ring");
        for (String text : new String[] {"a", "b", "c", "d", "e"}) {
            ring.getClass().getMethod("add", String.class).invoke(ring, text);
        }
        call(old, "pin");
        Object next = v2.getConstructor().newInstance();

        plan.transfer(old, next);

        Object copied = call(next, "ring");
        assertSame("a class of the next version", v2.getClassLoader(), copied.getClass().getClassLoader());
        assertEquals(5, call(copied, "added"));
        Object newest = call(copied, "newest");
        assertEquals("e", call(newest, "text"));
        assertSame("the cycle survives: newest.earlier.later is newest", newest, call(call(newest, "earlier"), "later"));
        assertSame("the slot and the list hold the same copy", newest, copied.getClass().getMethod("slot", int.class)
                .invoke(copied, 0));
        assertSame("two fields that shared an object share its copy", newest, call(next, "pinned"));
        assertSame("a String both versions share is the very same object", call(call(ring, "newest"), "text"),
                call(newest, "text"));
        assertNull("the oldest has nothing earlier", call(call(call(call(call(newest, "earlier"), "earlier"), "earlier"),
                "earlier"), "earlier"));
    }

    @Test
    public void classesOfOtherFieldsAreLeftToJackson() throws Exception {
        assertTrue(StructuralCopy.problem(StatePlannerTest.CountsV1.class, StatePlannerTest.CountsV2.class) != null);
        assertNull(StructuralCopy.problem(int[].class, int[].class));
    }

    private static Object call(Object target, String method) throws Exception {
        Method m = target.getClass().getMethod(method);
        m.setAccessible(true);
        return m.invoke(target);
    }
}
