package org.graft.container.internal.state;

import java.lang.reflect.Array;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Copies state held in a bundle's own classes into the classes of the same names in its next version,
 * field by field, where both versions declare the very same fields: what a release that did not change
 * a private class keeps (a log's ring buffer, a linked history). Jackson cannot rebuild such objects
 * (no creators, interfaces, cycles); this copy needs none of that.
 *
 * <p>An object whose class both versions share (a JDK class, a class of a bundle the update does not
 * replace) is handed over by reference. An object of a replaced bundle's class is copied once, into a
 * new object of the next version's class created without running a constructor (the old object's field
 * values are the whole state), so aliasing and cycles survive; arrays of such objects are copied element
 * by element. The plan checks the declared classes ({@link #problem}); the copy checks the objects it
 * meets (a subclass the declared type did not show) and fails naming the path. A JDK container holding
 * objects of a replaced class (a {@code List<Node>}) is not rebuilt: the plan leaves such fields to
 * Jackson.
 */
final class StructuralCopy {
    private final ClassLoader target;
    private final Map<Object, Object> copies = new IdentityHashMap<>();

    /** @param target the loader of the next version's class, where the copies' classes come from */
    StructuralCopy(ClassLoader target) {
        this.target = target;
    }

    /**
     * Why values declared as {@code from} cannot be copied into a field declared as {@code to}, or null
     * if they can: both are classes of the same name of the two versions' own, whose fields (theirs and
     * their superclasses' up to a class both share) have the same names, each of the same type or one
     * this copy can copy in turn.
     */
    static String problem(Type from, Type to) {
        if (!(from instanceof Class<?> fromClass) || !(to instanceof Class<?> toClass)) {
            return "not plain classes";
        }
        return problem(fromClass, toClass, new HashSet<>());
    }

    private static String problem(Class<?> from, Class<?> to, Set<String> checking) {
        if (from.isArray() || to.isArray()) {
            return from.isArray() && to.isArray() ? elementProblem(from.getComponentType(), to.getComponentType(), checking)
                    : "an array and a non-array";
        }
        if (!from.getName().equals(to.getName())) {
            return "classes of different names, " + from.getName() + " and " + to.getName();
        }
        if (from == to) {
            return null;
        }
        if (shared(from) || from.isInterface() || from.isEnum() || from.isRecord()) {
            return from.getName() + " is not a class of the bundle's own that a copy can rebuild";
        }
        if (!checking.add(from.getName())) {
            return null;
        }
        Map<String, Field> fromFields = fields(from);
        Map<String, Field> toFields = fields(to);
        if (fromFields == null || toFields == null) {
            return from.getName() + " extends a JDK class with state of its own";
        }
        if (!fromFields.keySet().equals(toFields.keySet())) {
            return from.getName() + " has other fields in the next version (" + fromFields.keySet() + " and "
                    + toFields.keySet() + ")";
        }
        for (Map.Entry<String, Field> field : fromFields.entrySet()) {
            Type fromType = field.getValue().getGenericType();
            Type toType = toFields.get(field.getKey()).getGenericType();
            if (TypeIdentity.same(fromType, toType)) {
                continue;
            }
            String problem = fromType instanceof Class<?> a && toType instanceof Class<?> b ? problem(a, b, checking)
                    : "generic types of the bundle's own classes";
            if (problem != null) {
                return "field " + from.getName() + "." + field.getKey() + ": " + problem;
            }
        }
        return null;
    }

    private static String elementProblem(Class<?> from, Class<?> to, Set<String> checking) {
        return from.isPrimitive() || to.isPrimitive() ? (from == to ? null : "arrays of other primitives")
                : problem(from, to, checking);
    }

    /**
     * The instance fields of {@code type} and its superclasses up to the first one the JDK declares (or
     * that is shared), by name; null if a superclass between has fields or is a JDK class with fields.
     */
    private static Map<String, Field> fields(Class<?> type) {
        Map<String, Field> fields = new LinkedHashMap<>();
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            if (shared(c)) {
                for (Field field : c.getDeclaredFields()) {
                    if (!Modifier.isStatic(field.getModifiers())) {
                        return null;
                    }
                }
                break;
            }
            for (Field field : c.getDeclaredFields()) {
                if (!Modifier.isStatic(field.getModifiers()) && !field.isSynthetic() && fields.putIfAbsent(field.getName(), field) != null) {
                    return null; // a field hidden by a subclass's field of the same name: not copied by name
                }
            }
        }
        return fields;
    }

    /** Classes the JDK defines: loaded by the boot or platform loader. */
    private static boolean shared(Class<?> type) {
        ClassLoader loader = type.getClassLoader();
        return loader == null || loader == ClassLoader.getPlatformClassLoader();
    }

    /**
     * The copy of {@code value} for the next version: the value itself where its class is shared with
     * the next version's loader, else a copy of its graph.
     *
     * @throws IllegalArgumentException naming {@code path} and why the value cannot be copied
     */
    Object copy(Object value, String path) {
        if (value == null) {
            return null;
        }
        Class<?> type = value.getClass();
        if (type.isArray()) {
            return copyArray(value, path);
        }
        Class<?> next = counterpart(type, path);
        if (next == type) {
            return value;
        }
        Object done = copies.get(value);
        if (done != null) {
            return done;
        }
        String problem = problem(type, next, new HashSet<>());
        if (problem != null) {
            throw new IllegalArgumentException(path + " cannot be copied: " + problem);
        }
        Object copy = allocate(next, path);
        copies.put(value, copy);
        Map<String, Field> oldFields = fields(type);
        for (Map.Entry<String, Field> field : fields(next).entrySet()) {
            Field from = oldFields.get(field.getKey());
            Field to = field.getValue();
            try {
                from.setAccessible(true);
                to.setAccessible(true);
                Object oldValue = from.get(value);
                to.set(copy, from.getType().isPrimitive() ? oldValue : copy(oldValue, path + "." + field.getKey()));
            } catch (IllegalAccessException | RuntimeException e) {
                if (e instanceof IllegalArgumentException copyFailed && copyFailed.getMessage() != null
                        && copyFailed.getMessage().contains(" cannot be copied")) {
                    throw copyFailed;
                }
                throw new IllegalArgumentException(path + "." + field.getKey() + " cannot be copied: " + e, e);
            }
        }
        return copy;
    }

    private Object copyArray(Object array, String path) {
        Class<?> component = array.getClass().getComponentType();
        if (component.isPrimitive()) {
            return array;
        }
        Class<?> nextComponent = counterpart(component, path);
        int length = Array.getLength(array);
        if (nextComponent == component) {
            boolean anyToCopy = false;
            for (int i = 0; i < length && !anyToCopy; i++) {
                Object element = Array.get(array, i);
                anyToCopy = element != null && !element.getClass().isArray() && counterpart(element.getClass(), path) != element.getClass();
            }
            if (!anyToCopy) {
                return array;
            }
        }
        Object done = copies.get(array);
        if (done != null) {
            return done;
        }
        Object copy = Array.newInstance(nextComponent, length);
        copies.put(array, copy);
        for (int i = 0; i < length; i++) {
            Array.set(copy, i, copy(Array.get(array, i), path + "[" + i + "]"));
        }
        return copy;
    }

    /** The class the next version has of {@code type}'s name: {@code type} itself where the two share it. */
    private Class<?> counterpart(Class<?> type, String path) {
        if (shared(type)) {
            return type;
        }
        try {
            return Class.forName(type.getName(), false, target);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalArgumentException(path + " cannot be copied: the next version has no class " + type.getName(), e);
        }
    }

    /**
     * A new object of {@code type} whose constructor did not run, as deserialization makes one: the
     * JDK's ReflectionFactory (module jdk.unsupported), reached through the platform loader, which
     * every bundle's class loader may not delegate to.
     */
    private static Object allocate(Class<?> type, String path) {
        try {
            Class<?> factoryClass = Class.forName("sun.reflect.ReflectionFactory", true, ClassLoader.getPlatformClassLoader());
            Object factory = factoryClass.getMethod("getReflectionFactory").invoke(null);
            Constructor<?> constructor = (Constructor<?>) factoryClass.getMethod("newConstructorForSerialization", Class.class,
                    Constructor.class).invoke(factory, type, Object.class.getDeclaredConstructor());
            return constructor.newInstance();
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalArgumentException(path + " cannot be copied: no " + type.getName() + " can be created without its"
                    + " constructor here (" + e + ")", e);
        }
    }
}
