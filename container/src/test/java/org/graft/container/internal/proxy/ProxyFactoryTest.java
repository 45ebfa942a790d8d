package org.graft.container.internal.proxy;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.graft.container.internal.gate.CallGate;
import org.graft.container.internal.gate.GateSet;
import org.graft.container.internal.gate.GatedClassLoader;
import org.junit.Test;

/** The generated proxy class: every signature shape delegates through the gate, exceptions pass unchanged. */
public class ProxyFactoryTest {

    public interface Base {
        String base(String s);
    }

    public interface Kitchen extends Base {
        boolean flip(boolean v);

        byte b(byte v);

        char c(char v);

        short s(short v);

        int i(int v);

        long l(long v);

        float f(float v);

        double d(double v);

        /** Two-slot arguments mixed with one-slot ones, in every position. */
        String mixed(long a, int b, double c, byte d, float e, long f, char g, boolean h, short i, Object j, double k);

        long sum(int a, long b, int c, double d, long e);

        double half(long v);

        void record(int[] sink, long value);

        int[] reverse(int[] values);

        String[][] transpose(String[][] grid);

        long[] longs(long... values);

        <T extends Comparable<T>> T max(List<T> items);

        Map<String, List<Integer>> group(Map<String, List<Integer>> groups);

        default String greet(String who) {
            return "hello from the interface, " + who;
        }

        default String notOverridden() {
            return "default sees " + base("x");
        }

        void failChecked(Exception e) throws Exception;

        void failUnchecked(RuntimeException e);

        void failError(Error e);

        void failUndeclared(Throwable t);

        String echoNull(Object o);
    }

    static class KitchenImpl implements Kitchen {
        @Override
        public String base(String s) {
            return "base:" + s;
        }

        @Override
        public boolean flip(boolean v) {
            return !v;
        }

        @Override
        public byte b(byte v) {
            return (byte) (v + 1);
        }

        @Override
        public char c(char v) {
            return Character.toUpperCase(v);
        }

        @Override
        public short s(short v) {
            return (short) (v * 2);
        }

        @Override
        public int i(int v) {
            return -v;
        }

        @Override
        public long l(long v) {
            return v + 1;
        }

        @Override
        public float f(float v) {
            return v / 2;
        }

        @Override
        public double d(double v) {
            return v * 3;
        }

        @Override
        public String mixed(long a, int b, double c, byte d, float e, long f, char g, boolean h, short i, Object j, double k) {
            return a + "|" + b + "|" + c + "|" + d + "|" + e + "|" + f + "|" + g + "|" + h + "|" + i + "|" + j + "|" + k;
        }

        @Override
        public long sum(int a, long b, int c, double d, long e) {
            return a + b + c + (long) d + e;
        }

        @Override
        public double half(long v) {
            return v / 2.0;
        }

        @Override
        public void record(int[] sink, long value) {
            sink[0] = (int) value;
        }

        @Override
        public int[] reverse(int[] values) {
            int[] r = new int[values.length];
            for (int k = 0; k < values.length; k++) {
                r[k] = values[values.length - 1 - k];
            }
            return r;
        }

        @Override
        public String[][] transpose(String[][] grid) {
            String[][] t = new String[grid[0].length][grid.length];
            for (int r = 0; r < grid.length; r++) {
                for (int c = 0; c < grid[r].length; c++) {
                    t[c][r] = grid[r][c];
                }
            }
            return t;
        }

        @Override
        public long[] longs(long... values) {
            return values;
        }

        @Override
        public <T extends Comparable<T>> T max(List<T> items) {
            return Collections.max(items);
        }

        @Override
        public Map<String, List<Integer>> group(Map<String, List<Integer>> groups) {
            Map<String, List<Integer>> copy = new TreeMap<>(groups);
            copy.put("size", List.of(groups.size()));
            return copy;
        }

        @Override
        public String greet(String who) {
            return "hello from the implementation, " + who;
        }

        @Override
        public void failChecked(Exception e) throws Exception {
            throw e;
        }

        @Override
        public void failUnchecked(RuntimeException e) {
            throw e;
        }

        @Override
        public void failError(Error e) {
            throw e;
        }

        @Override
        public void failUndeclared(Throwable t) {
            KitchenImpl.<RuntimeException>sneakyThrow(t);
        }

        @SuppressWarnings("unchecked")
        private static <X extends Throwable> void sneakyThrow(Throwable t) throws X {
            throw (X) t;
        }

        @Override
        public String echoNull(Object o) {
            return o == null ? "null" : o.toString();
        }

        @Override
        public String toString() {
            return "KitchenImpl v1";
        }
    }

    private static CallGate gate(Object impl) {
        return new CallGate("test.Kitchen", impl, "1.0.0", 30_000);
    }

    private static Kitchen kitchen(CallGate gate) {
        return (Kitchen) ProxyFactory.create(List.of(Kitchen.class), gate);
    }

    @Test
    public void primitivesOfEveryTypePassThrough() {
        Kitchen k = kitchen(gate(new KitchenImpl()));
        assertFalse(k.flip(true));
        assertTrue(k.flip(false));
        assertEquals((byte) -128, k.b((byte) 127));
        assertEquals('Q', k.c('q'));
        assertEquals((short) -2, k.s((short) -1));
        assertEquals(Integer.MIN_VALUE + 1, k.i(Integer.MAX_VALUE));
        assertEquals(Long.MIN_VALUE, k.l(Long.MAX_VALUE));
        assertEquals(0.75f, k.f(1.5f), 0f);
        assertEquals(4.5, k.d(1.5), 0.0);
        assertEquals(-3 * Double.MIN_VALUE, k.d(-Double.MIN_VALUE), 0.0);
    }

    @Test
    public void twoSlotArgumentsMixedWithOthersKeepTheirValues() {
        Kitchen k = kitchen(gate(new KitchenImpl()));
        String expected = Long.MAX_VALUE + "|" + 7 + "|" + 2.5 + "|" + (byte) -3 + "|" + 0.25f + "|" + Long.MIN_VALUE
                + "|" + 'z' + "|" + true + "|" + (short) 300 + "|" + "obj" + "|" + -1.0e300;
        assertEquals(expected, k.mixed(Long.MAX_VALUE, 7, 2.5, (byte) -3, 0.25f, Long.MIN_VALUE, 'z', true, (short) 300, "obj", -1.0e300));
        assertEquals(1L + (1L << 40) + 2 + 3 + (1L << 50), k.sum(1, 1L << 40, 2, 3.9, 1L << 50));
        assertEquals((1L << 61) / 2.0, k.half(1L << 61), 0.0);
    }

    @Test
    public void voidAndArrayMethodsDelegate() {
        Kitchen k = kitchen(gate(new KitchenImpl()));
        int[] sink = new int[1];
        k.record(sink, 42L);
        assertEquals(42, sink[0]);
        assertArrayEquals(new int[] {3, 2, 1}, k.reverse(new int[] {1, 2, 3}));
        String[][] t = k.transpose(new String[][] {{"a", "b", "c"}, {"d", "e", "f"}});
        assertArrayEquals(new String[][] {{"a", "d"}, {"b", "e"}, {"c", "f"}}, t);
        long[] values = {Long.MIN_VALUE, 0, Long.MAX_VALUE};
        assertSame(values, k.longs(values));
        assertEquals("null", k.echoNull(null));
    }

    @Test
    public void genericParametersDelegate() {
        Kitchen k = kitchen(gate(new KitchenImpl()));
        assertEquals("pear", k.max(List.of("apple", "pear", "banana")));
        assertEquals(Integer.valueOf(9), k.max(List.of(3, 9, 1)));
        Map<String, List<Integer>> grouped = k.group(Map.of("odd", List.of(1, 3), "even", List.of(2)));
        assertEquals(List.of(1, 3), grouped.get("odd"));
        assertEquals(List.of(2), grouped.get("size"));
    }

    @Test
    public void overriddenDefaultMethodCallsTheImplementationAndPlainDefaultStillWorks() {
        Kitchen k = kitchen(gate(new KitchenImpl()));
        assertEquals("hello from the implementation, you", k.greet("you"));
        assertEquals("default sees base:x", k.notOverridden());
        assertEquals("base:y", k.base("y"));
    }

    @Test
    public void checkedExceptionReachesCallerAsTheSameObject() {
        CallGate gate = gate(new KitchenImpl());
        Kitchen k = kitchen(gate);
        IOException thrown = new IOException("disk gone");
        try {
            k.failChecked(thrown);
            fail("no exception");
        } catch (Exception e) {
            assertSame(thrown, e);
        }
        assertEquals(0L, gate.callsInFlight());
    }

    @Test
    public void uncheckedExceptionAndErrorReachCallerAsTheSameObject() {
        CallGate gate = gate(new KitchenImpl());
        Kitchen k = kitchen(gate);
        IllegalStateException unchecked = new IllegalStateException("bad state");
        try {
            k.failUnchecked(unchecked);
            fail("no exception");
        } catch (IllegalStateException e) {
            assertSame(unchecked, e);
        }
        StackOverflowError error = new StackOverflowError("deep");
        try {
            k.failError(error);
            fail("no error");
        } catch (StackOverflowError e) {
            assertSame(error, e);
        }
        // a checked exception the interface does not declare is not wrapped either
        Exception undeclared = new Exception("undeclared");
        try {
            k.failUndeclared(undeclared);
            fail("no exception");
        } catch (Throwable t) {
            assertSame(undeclared, t);
        }
        assertEquals(0L, gate.callsInFlight());
        assertEquals(3L, gate.callsServed());
    }

    @Test
    public void callsAreCountedAndInFlightReturnsToZeroAfterExceptions() throws Exception {
        CallGate gate = gate(new KitchenImpl());
        Kitchen k = kitchen(gate);
        assertEquals(0L, gate.callsServed());
        k.i(1);
        k.l(2);
        k.record(new int[1], 3);
        assertEquals(3L, gate.callsServed());
        for (int n = 0; n < 5; n++) {
            try {
                k.failChecked(new IOException());
            } catch (IOException expected) {
                // counted out all the same
            }
        }
        assertEquals(8L, gate.callsServed());
        assertEquals(0L, gate.callsInFlight());
        // nothing leaked: a hold drains at once
        GateSet set = new GateSet(List.of(gate));
        set.hold();
        assertTrue(set.awaitDrained(0, TimeUnit.MILLISECONDS));
        set.reopen();
    }

    @Test
    public void toStringIsDelegatedEqualsAndHashCodeAreProxyIdentity() {
        KitchenImpl impl = new KitchenImpl();
        CallGate gate = gate(impl);
        Kitchen k = kitchen(gate);
        assertEquals("KitchenImpl v1", k.toString());
        assertEquals(1L, gate.callsServed());

        assertTrue(k.equals(k));
        assertFalse(k.equals(impl));
        assertFalse(impl.equals(k));
        Kitchen other = kitchen(gate);
        assertNotEquals(k, other);
        assertEquals(System.identityHashCode(k), k.hashCode());
        assertEquals("equals/hashCode must not go through the gate", 1L, gate.callsServed());
    }

    @Test
    public void proxyFollowsTheGateAcrossASwapAndKeepsItsIdentity() {
        CallGate gate = gate(new KitchenImpl());
        Kitchen k = kitchen(gate);
        int hash = k.hashCode();
        GateSet set = new GateSet(List.of(gate));
        set.hold();
        set.swap(List.of(new KitchenImpl() {
            @Override
            public int i(int v) {
                return v * 100;
            }

            @Override
            public String toString() {
                return "KitchenImpl v2";
            }
        }), List.of("2.0.0"));
        assertEquals(500, k.i(5));
        assertEquals("KitchenImpl v2", k.toString());
        assertEquals(hash, k.hashCode());
    }

    @Test
    public void proxyClassLoaderKnowsItsGate() {
        CallGate gate = gate(new KitchenImpl());
        Kitchen k = kitchen(gate);
        ClassLoader loader = k.getClass().getClassLoader();
        assertTrue(loader instanceof GatedClassLoader);
        assertSame(gate, ((GatedClassLoader) loader).gate());
    }

    public interface Named {
        String name();
    }

    public interface Labeled {
        String name();

        String label(int n);
    }

    static final class NamedAndLabeled implements Named, Labeled {
        @Override
        public String name() {
            return "the name";
        }

        @Override
        public String label(int n) {
            return "label" + n;
        }
    }

    @Test
    public void twoInterfacesDeclaringTheSameMethodShareOneDelegation() {
        CallGate gate = new CallGate("test.Named", new NamedAndLabeled(), "1", 30_000);
        Object proxy = ProxyFactory.create(List.of(Named.class, Labeled.class), gate);
        assertEquals("the name", ((Named) proxy).name());
        assertEquals("the name", ((Labeled) proxy).name());
        assertEquals("label7", ((Labeled) proxy).label(7));
        assertEquals(3L, gate.callsServed());
    }

    public interface ObjectSource {
        Object get();
    }

    public interface StringSource {
        String get();
    }

    static final class Source implements ObjectSource, StringSource {
        @Override
        public String get() {
            return "covariant";
        }
    }

    @Test
    public void sameMethodWithCovariantReturnTypesInTwoInterfaces() {
        CallGate gate = new CallGate("test.Source", new Source(), "1", 30_000);
        Object proxy = ProxyFactory.create(List.of(ObjectSource.class, StringSource.class), gate);
        assertEquals("covariant", ((ObjectSource) proxy).get());
        assertEquals("covariant", ((StringSource) proxy).get());
    }

    public interface Box<T> {
        T get();

        void put(T value);

        <R> R map(java.util.function.Function<? super T, ? extends R> f);
    }

    static final class StringBox implements Box<String> {
        private String value = "";

        @Override
        public String get() {
            return value;
        }

        @Override
        public void put(String value) {
            this.value = value;
        }

        @Override
        public <R> R map(java.util.function.Function<? super String, ? extends R> f) {
            return f.apply(value);
        }
    }

    @Test
    public void genericInterfaceDelegatesThroughErasedMethods() {
        CallGate gate = new CallGate("test.Box", new StringBox(), "1", 30_000);
        @SuppressWarnings("unchecked")
        Box<String> box = (Box<String>) ProxyFactory.create(List.of(Box.class), gate);
        box.put("content");
        assertEquals("content", box.get());
        assertEquals(Integer.valueOf(7), box.map(String::length));
    }

    /** A sub-interface that narrows the return type of an inherited method (covariant override). */
    public interface StringBoxView extends Box<String> {
        @Override
        String get();
    }

    public interface Supplier0 {
        Object supply();
    }

    public interface TextSupplier extends Supplier0 {
        @Override
        String supply();
    }

    static final class TextSupplierImpl implements TextSupplier {
        @Override
        public String supply() {
            return "text";
        }
    }

    /**
     * Callers compiled against the super-interface call {@code supply()Ljava/lang/Object;}; the proxy must
     * answer that descriptor too (javac puts such bridges in implementing classes, never in interfaces).
     */
    @Test
    public void covariantOverrideInSubInterfaceIsCallableThroughTheSuperInterface() {
        CallGate gate = new CallGate("test.TextSupplier", new TextSupplierImpl(), "1", 30_000);
        TextSupplier proxy = (TextSupplier) ProxyFactory.create(List.of(TextSupplier.class), gate);
        assertEquals("text", proxy.supply());
        Supplier0 asSuper = proxy;
        try {
            assertEquals("text", asSuper.supply());
        } catch (AbstractMethodError e) {
            throw new AssertionError("calling supply() through the super-interface failed: " + e, e);
        }
    }

    @Test
    public void genericReturnNarrowedInSubInterfaceIsCallableThroughTheGenericInterface() {
        CallGate gate = new CallGate("test.StringBoxView", new StringBoxViewImpl(), "1", 30_000);
        StringBoxView proxy = (StringBoxView) ProxyFactory.create(List.of(StringBoxView.class), gate);
        proxy.put("x");
        assertEquals("x", proxy.get());
        Box<String> asGeneric = proxy;
        try {
            assertEquals("x", asGeneric.get());
        } catch (AbstractMethodError e) {
            throw new AssertionError("calling get() through Box<String> failed: " + e, e);
        }
    }

    static final class StringBoxViewImpl implements StringBoxView {
        private String value;

        @Override
        public String get() {
            return value;
        }

        @Override
        public void put(String value) {
            this.value = value;
        }

        @Override
        public <R> R map(java.util.function.Function<? super String, ? extends R> f) {
            return f.apply(value);
        }
    }

    interface Hidden {
        void x();
    }

    @Test
    public void nonPublicInterfaceIsRefusedNamingIt() {
        CallGate gate = new CallGate("test.Hidden", (Hidden) () -> { }, "1", 30_000);
        try {
            ProxyFactory.create(List.of(Hidden.class), gate);
            fail("a proxy for a non-public interface was created");
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage(), e.getMessage().contains(Hidden.class.getName()));
        }
    }

    @Test
    public void classInsteadOfInterfaceIsRefusedNamingIt() {
        CallGate gate = new CallGate("test.List", new ArrayList<>(), "1", 30_000);
        try {
            ProxyFactory.create(List.of(ArrayList.class), gate);
            fail("a proxy for a class was created");
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage(), e.getMessage().contains(ArrayList.class.getName()));
        }
    }

    @Test
    public void jdkInterfaceCanBeProxied() {
        List<String> backing = new ArrayList<>(Arrays.asList("a", "b"));
        CallGate gate = new CallGate("test.Runnable", (Runnable) () -> backing.add("ran"), "1", 30_000);
        Runnable proxy = (Runnable) ProxyFactory.create(List.of(Runnable.class), gate);
        proxy.run();
        assertEquals(List.of("a", "b", "ran"), backing);
    }

    interface PackagePrivateBase {
        String hidden();
    }

    public interface PublicSub extends PackagePrivateBase {
        String shown();
    }

    static final class Sub implements PublicSub {
        @Override
        public String hidden() {
            return "inherited";
        }

        @Override
        public String shown() {
            return "declared";
        }
    }

    @Test
    public void methodInheritedFromNonPublicSuperinterfaceIsDelegated() {
        CallGate gate = new CallGate("test.Sub", new Sub(), "1", 30_000);
        PublicSub proxy = (PublicSub) ProxyFactory.create(List.of(PublicSub.class), gate);
        assertEquals("declared", proxy.shown());
        assertEquals("inherited", proxy.hidden());
    }
}
