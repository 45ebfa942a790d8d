package org.graft.container.internal.state;

import java.lang.reflect.Array;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * A copy of state values taken while calls may still change them, for a rehearsal: never injected, so
 * it may be slightly stale, but it must not be torn, and reading it must not disturb the running
 * version. A value is copied only where that is safe without the running version's cooperation:
 *
 * <ul>
 * <li>immutable values (strings, boxed primitives, {@code BigInteger}/{@code BigDecimal}, enums,
 * {@code java.time} values, {@code UUID}, records whose components are such values, {@code List.of}
 * and its kin holding such values) are taken as they are;</li>
 * <li>so are objects of a bundle's own classes whose fields, their superclasses' included, are all
 * primitives or such values (a tally of a count and a time): a read while another thread writes sees
 * each field whole (references and, on a 64-bit JVM, longs and doubles are read atomically), at worst
 * one slightly stale, and nothing in such an object can make a reader throw or loop. Their classes,
 * unlike a JDK collection's, hold no invariant across fields that a reader depends on;</li>
 * <li>atomics and adders are read once into new ones;</li>
 * <li>{@code java.util.concurrent} collections and maps are copied into new ones of their own class:
 * their iterators are weakly consistent, built to be read while written; {@code Collections.synchronized*}
 * wrappers are copied under their own lock, as their contract asks; in both, every element must be a
 * value this list admits;</li>
 * <li>arrays of primitives are cloned (each element read is atomic on a 64-bit JVM).</li>
 * </ul>
 *
 * Anything else (a {@code HashMap}, an {@code ArrayList}, an object of the bundle's own class) is not
 * safe to read while another thread writes it: reading it may throw, loop or see a half-built object,
 * and the snapshot leaves the entry out, with the reason. The copies also keep a transformer from
 * changing the running version's objects during the rehearsal.
 */
final class StateSnapshot {
    private static final Set<Class<?>> IMMUTABLE = Set.of(String.class, Boolean.class, Character.class, Byte.class, Short.class,
            Integer.class, Long.class, Float.class, Double.class, BigInteger.class, BigDecimal.class, UUID.class);
    /** Deeper nesting is refused rather than followed: a cycle through atomics would otherwise not end. */
    private static final int MAX_DEPTH = 32;

    /** A value the snapshot cannot take, with the reason. */
    static final class NotSafe extends Exception {
        private static final long serialVersionUID = 1L;

        NotSafe(String reason) {
            super(reason, null, false, false);
        }
    }

    /** Per class: immutable whatever its instances hold (a record of primitives and strings, say). */
    private final Map<Class<?>, Boolean> takenAsIsClasses = new HashMap<>();

    /** The copies of the entries that could be taken, and the reasons for those that could not. */
    record Taken(Map<String, Object> values, Map<String, String> left) {
    }

    Taken take(Map<String, Object> captured, Set<String> names) {
        Map<String, Object> values = new LinkedHashMap<>();
        Map<String, String> left = new LinkedHashMap<>();
        for (Map.Entry<String, Object> entry : captured.entrySet()) {
            if (!names.contains(entry.getKey())) {
                continue;
            }
            try {
                values.put(entry.getKey(), copy(entry.getValue(), 0));
            } catch (NotSafe e) {
                left.put(entry.getKey(), e.getMessage());
            }
        }
        return new Taken(values, left);
    }

    /** A copy of {@code value} safe to read from now on, or {@code value} itself where it is immutable. */
    Object copy(Object value, int depth) throws NotSafe {
        if (value == null || takenAsIs(value.getClass())) {
            return value;
        }
        if (depth > MAX_DEPTH) {
            throw new NotSafe("nested more than " + MAX_DEPTH + " levels deep");
        }
        Class<?> type = value.getClass();
        if (value instanceof AtomicLong atomic) {
            return new AtomicLong(atomic.get());
        } else if (value instanceof AtomicInteger atomic) {
            return new AtomicInteger(atomic.get());
        } else if (value instanceof AtomicBoolean atomic) {
            return new AtomicBoolean(atomic.get());
        } else if (value instanceof AtomicReference<?> atomic) {
            return new AtomicReference<>(copy(atomic.get(), depth + 1));
        } else if (value instanceof LongAdder adder) {
            LongAdder copy = new LongAdder();
            copy.add(adder.sum());
            return copy;
        } else if (value instanceof DoubleAdder adder) {
            DoubleAdder copy = new DoubleAdder();
            copy.add(adder.sum());
            return copy;
        } else if (type.isArray() && type.getComponentType().isPrimitive()) {
            int length = Array.getLength(value);
            Object copy = Array.newInstance(type.getComponentType(), length);
            System.arraycopy(value, 0, copy, 0, length);
            return copy;
        } else if (type.getName().startsWith("java.util.ImmutableCollections$")) {
            checkElements(value, value, depth);
            return value;
        } else if (type.getName().startsWith("java.util.Collections$Synchronized")) {
            return copySynchronized(value, depth);
        } else if (type.getPackageName().equals("java.util.concurrent") && (value instanceof Map || value instanceof Collection)) {
            return copyConcurrent(value, depth);
        } else if (type.isRecord()) {
            checkComponents(value, depth);
            return value;
        }
        throw new NotSafe("a " + type.getName() + " is not safe to read while calls run (neither immutable nor concurrent)");
    }

    private boolean takenAsIs(Class<?> type) {
        Boolean known = takenAsIsClasses.get(type);
        if (known == null) {
            known = IMMUTABLE.contains(type) || type.isEnum() || (type.getSuperclass() != null && type.getSuperclass().isEnum())
                    || (type.getPackageName().equals("java.time") && Modifier.isFinal(type.getModifiers()))
                    || (type.isRecord() && recordOfImmutables(type)) || flatValueObject(type);
            takenAsIsClasses.put(type, known);
        }
        return known;
    }

    /** A class of a bundle's own whose instance fields are all primitives or values taken as they are. */
    private boolean flatValueObject(Class<?> type) {
        if (type.isArray() || type.isInterface() || StateSchema.jdk(type)) {
            return false;
        }
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            if (StateSchema.jdk(c)) {
                return false;
            }
            for (Field field : c.getDeclaredFields()) {
                Class<?> declared = field.getType();
                if (!Modifier.isStatic(field.getModifiers()) && !declared.isPrimitive()
                        && !IMMUTABLE.contains(declared) && !(Modifier.isFinal(declared.getModifiers()) && declared != type && takenAsIs(declared))) {
                    return false;
                }
            }
        }
        return true;
    }

    /** A record whose components are primitives or final immutable classes is immutable, whatever it holds. */
    private boolean recordOfImmutables(Class<?> type) {
        for (RecordComponent component : type.getRecordComponents()) {
            Class<?> declared = component.getType();
            if (!declared.isPrimitive() && !IMMUTABLE.contains(declared) && !(Modifier.isFinal(declared.getModifiers()) && declared != type && takenAsIs(declared))) {
                return false;
            }
        }
        return true;
    }

    private void checkComponents(Object record, int depth) throws NotSafe {
        for (RecordComponent component : record.getClass().getRecordComponents()) {
            Object value;
            try {
                component.getAccessor().setAccessible(true);
                value = component.getAccessor().invoke(record);
            } catch (IllegalAccessException | InvocationTargetException | RuntimeException e) {
                throw new NotSafe("the component " + component.getName() + " of a " + record.getClass().getName() + " cannot be read: " + e);
            }
            Object copied;
            try {
                copied = copy(value, depth + 1);
            } catch (NotSafe e) {
                copied = null;
            }
            // a record holds its components themselves: one that needs a copy to be read safely is not safe in it
            if (copied != value) {
                throw new NotSafe("a " + record.getClass().getName() + " holds a mutable " + value.getClass().getName()
                        + " in " + component.getName());
            }
        }
    }

    /** @param container the elements, in the original or a copy; {@code named} the original, for the reason */
    private void checkElements(Object container, Object named, int depth) throws NotSafe {
        Iterable<?> elements = container instanceof Map<?, ?> map ? map.entrySet() : (Collection<?>) container;
        for (Object element : elements) {
            if (element instanceof Map.Entry<?, ?> entry) {
                checkElement(entry.getKey(), named, depth);
                checkElement(entry.getValue(), named, depth);
            } else {
                checkElement(element, named, depth);
            }
        }
    }

    /** An element must be immutable: a copied container holds the very elements of the original. */
    private void checkElement(Object element, Object container, int depth) throws NotSafe {
        if (element != null && !takenAsIs(element.getClass())) {
            if (element.getClass().isRecord()) {
                checkComponents(element, depth + 1);
            } else {
                throw new NotSafe("a " + container.getClass().getName() + " holding a " + element.getClass().getName()
                        + ", which is not safe to read while calls run");
            }
        }
    }

    private Object copySynchronized(Object value, int depth) throws NotSafe {
        Object copy;
        // the wrappers' own monitor, which every one of their methods takes (their default mutex)
        synchronized (value) {
            if (value instanceof Map<?, ?> map) {
                copy = new LinkedHashMap<>(map);
            } else if (value instanceof Set<?> set) {
                copy = new LinkedHashSet<>(set);
            } else {
                copy = new ArrayList<>((Collection<?>) value);
            }
        }
        checkElements(copy, value, depth);
        return copy;
    }

    private Object copyConcurrent(Object value, int depth) throws NotSafe {
        Object copy;
        try {
            if (value instanceof ConcurrentHashMap<?, ?> map) {
                copy = new ConcurrentHashMap<>(map);
            } else if (value instanceof SortedMap || value instanceof SortedSet) {
                // the sorted copy constructor keeps the comparator; the Map or Collection one would drop it
                copy = value.getClass().getConstructor(value instanceof Map ? SortedMap.class : SortedSet.class).newInstance(value);
            } else {
                Constructor<?> constructor = value.getClass().getConstructor(value instanceof Map ? Map.class : Collection.class);
                copy = constructor.newInstance(value);
            }
        } catch (NoSuchMethodException | InstantiationException | IllegalAccessException | InvocationTargetException e) {
            throw new NotSafe("a " + value.getClass().getName() + " cannot be copied: " + e);
        }
        checkElements(copy, value, depth);
        return copy;
    }

    /** How many elements a value holds, for reports: a map's or collection's size, or -1 for a single value. */
    static int size(Object value) {
        if (value instanceof Map<?, ?> map) {
            return map.size();
        } else if (value instanceof Collection<?> collection) {
            return collection.size();
        } else if (value != null && value.getClass().isArray()) {
            return Array.getLength(value);
        }
        return -1;
    }
}
