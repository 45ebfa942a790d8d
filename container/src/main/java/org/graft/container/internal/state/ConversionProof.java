package org.graft.container.internal.state;

import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Array;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.annotation.JacksonAnnotationsInside;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.BeanDeserializer;
import com.fasterxml.jackson.databind.deser.DefaultDeserializationContext;
import com.fasterxml.jackson.databind.introspect.AnnotatedField;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.ser.BeanPropertyWriter;
import com.fasterxml.jackson.databind.ser.BeanSerializer;
import com.fasterxml.jackson.databind.ser.PropertyWriter;

/**
 * Decides, from the runtime classes present in an old value and the target type, whether {@link StateCodec}'s
 * loss check can be skipped or narrowed, so that the common update (same or wider types) costs one conversion
 * pass instead of two JSON trees and a comparison.
 *
 * <p>{@link #examine} walks the old value. {@link Verdict#LOSSLESS} means: every value present is of a type
 * whose every value the target type holds and writes back the same (same scalar type, integral widening,
 * enum names all present in the new enum, String-keyed JDK maps and JDK collections read as lists,
 * plain field-only classes whose every property the new class has with such a type), so the check
 * could not find a loss. {@link Verdict#CHECK_VALUES} means the same, except for integral narrowings
 * (BigInteger to long, ...) whose values {@link #keepsValues} compares after the conversion.
 * Anything else, or anything this class is unsure of, is {@link Verdict#UNPROVEN} and takes the full check.
 *
 * <p>The walk follows Jackson's own serializer (its properties, in its order) and looks at each value's
 * runtime class, since that is what Jackson writes; it only skips values whose declared type is a
 * primitive or a final scalar class, whose runtime class is then known. Judgments are cached per class
 * pair in this instance, which lives as long as its codec: one transfer.
 */
final class ConversionProof {
    enum Verdict {
        LOSSLESS, CHECK_VALUES, UNPROVEN;

        Verdict and(Verdict other) {
            return compareTo(other) >= 0 ? this : other;
        }
    }

    /** Deeper than this is treated as unproven: it also ends the walk of a cyclic value, which Jackson refuses anyway. */
    private static final int MAX_DEPTH = 200;

    private static final Map<Class<?>, Integer> INTEGRAL_RANK = Map.of(
            Byte.class, 1, byte.class, 1, Short.class, 2, short.class, 2, Integer.class, 3, int.class, 3,
            Long.class, 4, long.class, 4, BigInteger.class, 5);

    /** Scalars that only convert to themselves, boxed or not (float to double writes back other digits). */
    private static final Map<Class<?>, Class<?>> OTHER_SCALAR_KIND = Map.of(
            Boolean.class, Boolean.class, boolean.class, Boolean.class, Character.class, Character.class,
            char.class, Character.class, Float.class, Float.class, float.class, Float.class,
            Double.class, Double.class, double.class, Double.class, String.class, String.class);

    private final ObjectMapper mapper;
    private final Map<Class<?>, Map<JavaType, BeanPair>> beanPairs = new HashMap<>();

    ConversionProof(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** How a property of an old class maps to the new class. */
    private static final class PropertyPair {
        final BeanPropertyWriter oldProperty;
        final Field newField;
        final JavaType newType;
        /** Null when the value's runtime class can vary (or be null into a primitive): then it is examined value by value. */
        final Verdict staticVerdict;

        PropertyPair(BeanPropertyWriter oldProperty, Field newField, JavaType newType, Verdict staticVerdict) {
            this.oldProperty = oldProperty;
            this.newField = newField;
            this.newType = newType;
            this.staticVerdict = staticVerdict;
        }
    }

    /** An old class against a new bean type; {@code properties} is null when the pair is unproven. */
    private static final class BeanPair {
        final List<PropertyPair> properties;
        final Verdict staticVerdict;

        BeanPair(List<PropertyPair> properties, Verdict staticVerdict) {
            this.properties = properties;
            this.staticVerdict = staticVerdict;
        }
    }

    private static final BeanPair UNPROVEN_PAIR = new BeanPair(null, Verdict.UNPROVEN);

    Verdict examine(Object value, JavaType target) {
        try {
            return examine(value, target, 0);
        } catch (UnreadableProperty e) {
            return Verdict.UNPROVEN;
        }
    }

    private Verdict examine(Object value, JavaType target, int depth) {
        if (value == null) {
            // null is written as null and read back as null, except into a primitive, which refuses it
            return target.isPrimitive() ? Verdict.UNPROVEN : Verdict.LOSSLESS;
        }
        if (depth > MAX_DEPTH) {
            return Verdict.UNPROVEN;
        }
        Class<?> type = value.getClass();
        Verdict scalar = scalarVerdict(type, target.getRawClass());
        if (scalar != null) {
            return scalar;
        }
        if (value instanceof Enum) {
            return enumVerdict(((Enum<?>) value).getDeclaringClass(), target.getRawClass());
        }
        if (value instanceof Map) {
            return mapVerdict((Map<?, ?>) value, target, depth);
        }
        if (value instanceof Collection) {
            return isJdk(type) && readAsList(target) ? elementsVerdict((Collection<?>) value, target.getContentType(), depth)
                    : Verdict.UNPROVEN;
        }
        if (type.isArray()) {
            return arrayVerdict(value, target, depth);
        }
        BeanPair pair = beanPair(type, target);
        Verdict verdict = pair.staticVerdict;
        if (pair.properties == null) {
            return verdict;
        }
        for (PropertyPair property : pair.properties) {
            if (property.staticVerdict == null) {
                verdict = verdict.and(examine(read(property.oldProperty, value), property.newType, depth + 1));
                if (verdict == Verdict.UNPROVEN) {
                    return verdict;
                }
            }
        }
        return verdict;
    }

    /**
     * Whether the converted value holds every value of the old one where {@link #examine} answered
     * {@link Verdict#CHECK_VALUES}; false also when unsure, since the caller then runs the full check.
     */
    boolean keepsValues(Object old, Object converted, JavaType target) {
        try {
            return keepsValues(old, converted, target, 0);
        } catch (UnreadableProperty e) {
            return false;
        }
    }

    private boolean keepsValues(Object old, Object converted, JavaType target, int depth) {
        if (old == null || converted == null) {
            return old == converted;
        }
        if (depth > MAX_DEPTH) {
            return false;
        }
        Class<?> type = old.getClass();
        Verdict scalar = scalarVerdict(type, target.getRawClass());
        if (scalar != null) {
            return scalar == Verdict.LOSSLESS || sameIntegral(old, converted);
        }
        if (old instanceof Enum) {
            return true;
        }
        if (old instanceof Map) {
            if (!(converted instanceof Map)) {
                return false;
            }
            Map<?, ?> after = (Map<?, ?>) converted;
            JavaType valueType = target.getContentType();
            Class<?> lastType = null;
            BeanPair lastPair = null;
            for (Map.Entry<?, ?> entry : ((Map<?, ?>) old).entrySet()) {
                Object oldValue = entry.getValue();
                Object newValue = after.get(entry.getKey());
                if (newValue == null && !after.containsKey(entry.getKey())) {
                    return false;
                }
                boolean kept;
                // the common case, a map of one bean class, looks its pair up once
                if (oldValue != null && newValue != null && oldValue.getClass() == lastType) {
                    kept = keepsBeanValues(lastPair, oldValue, newValue, depth + 1);
                } else {
                    kept = keepsValues(oldValue, newValue, valueType, depth + 1);
                    if (oldValue != null && isBean(oldValue)) {
                        lastType = oldValue.getClass();
                        lastPair = beanPair(lastType, valueType);
                    }
                }
                if (!kept) {
                    return false;
                }
            }
            return true;
        }
        if (old instanceof Collection || type.isArray()) {
            return keepsElements(old, converted, target.getContentType(), depth);
        }
        return keepsBeanValues(beanPair(type, target), old, converted, depth);
    }

    private boolean keepsBeanValues(BeanPair pair, Object old, Object converted, int depth) {
        if (pair.properties == null) {
            return false;
        }
        for (PropertyPair property : pair.properties) {
            if (property.staticVerdict == Verdict.LOSSLESS) {
                continue;
            }
            Object oldValue = read(property.oldProperty, old);
            Object newValue = read(property.newField, converted);
            boolean kept = property.staticVerdict == Verdict.CHECK_VALUES
                    ? oldValue == null ? newValue == null : sameIntegral(oldValue, newValue)
                    : keepsValues(oldValue, newValue, property.newType, depth + 1);
            if (!kept) {
                return false;
            }
        }
        return true;
    }

    private boolean keepsElements(Object old, Object converted, JavaType elementType, int depth) {
        if (old.getClass().getComponentType() != null && old.getClass().getComponentType().isPrimitive()) {
            int length = Array.getLength(old);
            if (!converted.getClass().isArray() || Array.getLength(converted) != length) {
                return false;
            }
            for (int i = 0; i < length; i++) {
                if (!keepsValues(Array.get(old, i), Array.get(converted, i), elementType, depth + 1)) {
                    return false;
                }
            }
            return true;
        }
        Iterator<?> before = old instanceof Collection ? ((Collection<?>) old).iterator() : List.of((Object[]) old).iterator();
        Iterator<?> after;
        if (converted instanceof Collection) {
            after = ((Collection<?>) converted).iterator();
        } else if (converted instanceof Object[]) {
            after = List.of((Object[]) converted).iterator();
        } else {
            return false;
        }
        while (before.hasNext()) {
            if (!after.hasNext() || !keepsValues(before.next(), after.next(), elementType, depth + 1)) {
                return false;
            }
        }
        return !after.hasNext();
    }

    /** Whether {@link #keepsValues} compares this value as a bean (it is no scalar, enum, map, collection or array). */
    private static boolean isBean(Object value) {
        Class<?> type = value.getClass();
        return scalarVerdict(type, Object.class) == null && !(value instanceof Enum) && !(value instanceof Map)
                && !(value instanceof Collection) && !type.isArray();
    }

    /** Null if {@code type} is no scalar this class knows. */
    private static Verdict scalarVerdict(Class<?> type, Class<?> target) {
        Integer rank = INTEGRAL_RANK.get(type);
        if (rank != null) {
            Integer targetRank = INTEGRAL_RANK.get(target);
            if (targetRank == null) {
                return Verdict.UNPROVEN;
            }
            return targetRank >= rank ? Verdict.LOSSLESS : Verdict.CHECK_VALUES;
        }
        Class<?> kind = OTHER_SCALAR_KIND.get(type);
        if (kind == null) {
            return null;
        }
        return kind == OTHER_SCALAR_KIND.get(target) ? Verdict.LOSSLESS : Verdict.UNPROVEN;
    }

    /** Numbers by value, as the full check compares them; only integral values reach here. */
    private static boolean sameIntegral(Object old, Object converted) {
        if (!(converted instanceof Number)) {
            return false;
        }
        if (converted instanceof BigInteger) {
            return toBigInteger((Number) old).equals(converted);
        }
        // converted is a long or narrower, so a BigInteger beyond 63 bits cannot equal it
        return (!(old instanceof BigInteger) || ((BigInteger) old).bitLength() < 64)
                && ((Number) old).longValue() == ((Number) converted).longValue();
    }

    private static BigInteger toBigInteger(Number number) {
        return number instanceof BigInteger ? (BigInteger) number : BigInteger.valueOf(number.longValue());
    }

    /** Enums are written by name: lossless when every old name exists in the new enum and nothing renames them. */
    private static Verdict enumVerdict(Class<?> oldEnum, Class<?> target) {
        if (!target.isEnum() || hasJacksonAnnotations(oldEnum) || hasJacksonAnnotations(target)) {
            return Verdict.UNPROVEN;
        }
        Set<String> names = new HashSet<>();
        for (Object constant : target.getEnumConstants()) {
            names.add(((Enum<?>) constant).name());
        }
        for (Object constant : oldEnum.getEnumConstants()) {
            if (!names.contains(((Enum<?>) constant).name())) {
                return Verdict.UNPROVEN;
            }
        }
        return Verdict.LOSSLESS;
    }

    private Verdict mapVerdict(Map<?, ?> map, JavaType target, int depth) {
        // String keys are written and read as themselves; other keys go through key (de)serializers
        if (!isJdk(map.getClass()) || !target.isMapLikeType() || !Map.class.isAssignableFrom(target.getRawClass()) || !isJdk(target.getRawClass())
                || target.getKeyType().getRawClass() != String.class) {
            return Verdict.UNPROVEN;
        }
        JavaType valueType = target.getContentType();
        Verdict verdict = Verdict.LOSSLESS;
        Class<?> lastType = null;
        Verdict lastVerdict = null;
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            if (entry.getKey() == null || entry.getKey().getClass() != String.class) {
                return Verdict.UNPROVEN;
            }
            Object value = entry.getValue();
            Verdict entryVerdict;
            // the common case, a map of one final class with primitive fields, needs no look-up per entry
            if (value != null && value.getClass() == lastType) {
                entryVerdict = lastVerdict;
            } else {
                entryVerdict = examine(value, valueType, depth + 1);
                if (value != null && !needsWalk(value.getClass(), valueType)) {
                    lastType = value.getClass();
                    lastVerdict = entryVerdict;
                }
            }
            verdict = verdict.and(entryVerdict);
            if (verdict == Verdict.UNPROVEN) {
                return verdict;
            }
        }
        return verdict;
    }

    /** Whether values of {@code type} have parts examine must look at one by one. */
    private boolean needsWalk(Class<?> type, JavaType target) {
        if (scalarVerdict(type, target.getRawClass()) != null || type.isEnum()) {
            return false;
        }
        if (Map.class.isAssignableFrom(type) || Collection.class.isAssignableFrom(type) || type.isArray()) {
            return true;
        }
        BeanPair pair = beanPair(type, target);
        return pair.properties == null || pair.properties.stream().anyMatch(p -> p.staticVerdict == null);
    }

    private static boolean readAsList(JavaType target) {
        // a set could merge elements or reorder them, and the full check compares arrays position by position
        Class<?> raw = target.getRawClass();
        return target.isCollectionLikeType() && isJdk(raw) && (List.class.isAssignableFrom(raw) || raw == Collection.class);
    }

    private Verdict elementsVerdict(Iterable<?> elements, JavaType elementType, int depth) {
        Verdict verdict = Verdict.LOSSLESS;
        for (Object element : elements) {
            verdict = verdict.and(examine(element, elementType, depth + 1));
            if (verdict == Verdict.UNPROVEN) {
                return verdict;
            }
        }
        return verdict;
    }

    private Verdict arrayVerdict(Object array, JavaType target, int depth) {
        Class<?> component = array.getClass().getComponentType();
        if (component == byte.class || component == char.class) {
            // written as one string (base64, text), so only the same array type reads it back
            return target.getRawClass() == array.getClass() ? Verdict.LOSSLESS : Verdict.UNPROVEN;
        }
        if (!(target.isArrayType() || readAsList(target))) {
            return Verdict.UNPROVEN;
        }
        JavaType elementType = target.getContentType();
        if (component.isPrimitive()) {
            Verdict verdict = scalarVerdict(component, elementType.getRawClass());
            return verdict == null ? Verdict.UNPROVEN : verdict;
        }
        return elementsVerdict(List.of((Object[]) array), elementType, depth);
    }

    private BeanPair beanPair(Class<?> type, JavaType target) {
        Map<JavaType, BeanPair> byTarget = beanPairs.computeIfAbsent(type, t -> new HashMap<>());
        BeanPair pair = byTarget.get(target);
        if (pair == null) {
            pair = proveBeanPair(type, target);
            byTarget.put(target, pair);
        }
        return pair;
    }

    private BeanPair proveBeanPair(Class<?> type, JavaType target) {
        Class<?> newType = target.getRawClass();
        if (!isPlainClass(type) || !isPlainClass(newType) || Modifier.isAbstract(newType.getModifiers())) {
            return UNPROVEN_PAIR;
        }
        Map<String, BeanPropertyDefinition> newProperties = new HashMap<>();
        List<PropertyPair> pairs = new ArrayList<>();
        Verdict verdict = Verdict.LOSSLESS;
        try {
            if (serializer(type).getClass() != BeanSerializer.class || deserializer(target).getClass() != BeanDeserializer.class) {
                return UNPROVEN_PAIR;
            }
            BeanDescription description = mapper.getDeserializationConfig().introspect(target);
            for (BeanPropertyDefinition property : description.findProperties()) {
                newProperties.put(property.getName(), property);
            }
            for (Iterator<PropertyWriter> it = ((BeanSerializer) serializer(type)).properties(); it.hasNext();) {
                PropertyWriter writer = it.next();
                BeanPropertyDefinition newProperty = newProperties.get(writer.getName());
                if (!(writer instanceof BeanPropertyWriter) || newProperty == null || !newProperty.hasField()) {
                    return UNPROVEN_PAIR;
                }
                BeanPropertyWriter oldProperty = (BeanPropertyWriter) writer;
                AnnotatedField newField = newProperty.getField();
                Field field = (Field) newField.getAnnotated();
                field.setAccessible(true);
                Verdict propertyVerdict = staticVerdict(oldProperty.getType(), newField.getType());
                if (propertyVerdict == Verdict.UNPROVEN) {
                    return UNPROVEN_PAIR;
                }
                if (propertyVerdict != null) {
                    verdict = verdict.and(propertyVerdict);
                }
                pairs.add(new PropertyPair(oldProperty, field, newField.getType(), propertyVerdict));
            }
        } catch (JsonMappingException | RuntimeException e) {
            // Jackson cannot build a (de)serializer for one of the classes: the full check reports why
            return UNPROVEN_PAIR;
        }
        return new BeanPair(pairs, verdict);
    }

    /**
     * The verdict for every value of a declared old type, or null when it depends on the value's runtime
     * class: only primitives and final scalar classes have one (BigInteger is not final, but Jackson writes
     * any subclass as the number it is, and reads a plain BigInteger). A null in such a field is no
     * exception: into a reference it stays null, and into a primitive the one-pass read fails
     * (FAIL_ON_NULL_FOR_PRIMITIVES), which sends the conversion to the full check.
     */
    private static Verdict staticVerdict(JavaType oldType, JavaType newType) {
        Class<?> raw = oldType.getRawClass();
        boolean fixed = raw.isPrimitive() || Modifier.isFinal(raw.getModifiers()) || raw == BigInteger.class;
        Verdict scalar = scalarVerdict(raw, newType.getRawClass());
        return fixed && scalar != null ? scalar : null;
    }

    private JsonSerializer<Object> serializer(Class<?> type) throws JsonMappingException {
        return mapper.getSerializerProviderInstance().findValueSerializer(type);
    }

    private JsonDeserializer<Object> deserializer(JavaType type) throws JsonMappingException {
        DefaultDeserializationContext context = ((DefaultDeserializationContext) mapper.getDeserializationContext())
                .createDummyInstance(mapper.getDeserializationConfig());
        return context.findRootValueDeserializer(type);
    }

    /** A property that cannot be read here: serialization reads it the same way, so the full check reports it. */
    private static final class UnreadableProperty extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UnreadableProperty(Exception cause) {
            super(cause);
        }
    }

    private static Object read(BeanPropertyWriter property, Object bean) {
        try {
            return property.get(bean);
        } catch (Exception e) {
            throw new UnreadableProperty(e);
        }
    }

    private static Object read(Field field, Object bean) {
        try {
            return field.get(bean);
        } catch (IllegalAccessException e) {
            throw new UnreadableProperty(e);
        }
    }

    private static boolean isJdk(Class<?> type) {
        String name = type.getName();
        return name.startsWith("java.") || name.startsWith("javax.") || name.startsWith("jdk.") || name.startsWith("sun.")
                || name.startsWith("com.sun.");
    }

    /**
     * A class Jackson handles as a plain bean: no JDK or Jackson supertype (those have their own
     * serializers: maps, iterables, numbers, ...), no Jackson annotation anywhere in its hierarchy.
     */
    private static boolean isPlainClass(Class<?> type) {
        if (type.isInterface() || type.isArray() || type.isPrimitive() || type.isEnum() || type.isAnonymousClass()
                || type.isLocalClass() || type.isMemberClass() && !Modifier.isStatic(type.getModifiers())) {
            return false;
        }
        for (Class<?> c = type; c != Object.class; c = c.getSuperclass()) {
            if (isJdk(c) && c != Record.class || c.getName().startsWith("com.fasterxml.") || hasJacksonAnnotations(c)
                    || !plainInterfaces(c)) {
                return false;
            }
        }
        return true;
    }

    private static boolean plainInterfaces(Class<?> type) {
        for (Class<?> i : type.getInterfaces()) {
            boolean marker = i == java.io.Serializable.class || i == Cloneable.class || i == Comparable.class;
            if (!marker && (isJdk(i) || i.getName().startsWith("com.fasterxml.") || hasJacksonAnnotations(i) || !plainInterfaces(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean hasJacksonAnnotations(Class<?> type) {
        if (jackson(type)) {
            return true;
        }
        for (Field f : type.getDeclaredFields()) {
            if (jackson(f)) {
                return true;
            }
        }
        for (Method m : type.getDeclaredMethods()) {
            if (jackson(m) || jackson(m.getParameterAnnotations())) {
                return true;
            }
        }
        for (Constructor<?> c : type.getDeclaredConstructors()) {
            if (jackson(c) || jackson(c.getParameterAnnotations())) {
                return true;
            }
        }
        return false;
    }

    private static boolean jackson(AnnotatedElement element) {
        return jackson(new Annotation[][] {element.getDeclaredAnnotations()});
    }

    private static boolean jackson(Annotation[][] annotations) {
        for (Annotation[] group : annotations) {
            for (Annotation a : group) {
                Class<? extends Annotation> type = a.annotationType();
                if (type.getName().startsWith("com.fasterxml.jackson.") || type.isAnnotationPresent(JacksonAnnotationsInside.class)) {
                    return true;
                }
            }
        }
        return false;
    }
}
