package org.graft.benchmarks.harness;

import java.lang.reflect.Type;
import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * A copy of {@code StateCodec} before the lossless-by-type fast path (two JsonNode trees and a
 * node-by-node loss check for every conversion), kept only so that {@link ConversionPathHarness} can
 * time the old algorithm beside the new one in the same JVM.
 */
final class FullCheckCodecBefore {
    /** Built on first use: a hand-over by reference never needs it, and building one costs milliseconds. */
    private ObjectMapper mapper;

    private ObjectMapper mapper() {
        if (mapper == null) {
            mapper = JsonMapper.builder()
                    .visibility(PropertyAccessor.ALL, Visibility.NONE)
                    .visibility(PropertyAccessor.FIELD, Visibility.ANY)
                    .visibility(PropertyAccessor.CREATOR, Visibility.ANY)
                    .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                    .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                    .build();
        }
        return mapper;
    }

    /**
     * @param what names the value in messages, e.g. "state entry 'tallies'"
     * @throws IllegalArgumentException naming {@code what}, the types and the first loss
     */
    public Object convert(String what, Object value, Type targetType) {
        if (value == null) {
            return null;
        }
        ObjectMapper mapper = mapper();
        JavaType target = mapper.getTypeFactory().constructType(targetType);
        JsonNode before = toTree(mapper, what, value);
        Object converted;
        try {
            converted = mapper.readerFor(target).readValue(before);
        } catch (java.io.IOException | RuntimeException e) {
            throw new IllegalArgumentException(what + " cannot be read as " + targetType.getTypeName() + ": "
                    + originalMessage(e), e);
        }
        String loss = firstLoss("", before, toTree(mapper, what, converted));
        if (loss != null) {
            throw new IllegalArgumentException(what + " would not survive conversion from "
                    + value.getClass().getName() + " to " + targetType.getTypeName() + ": " + loss);
        }
        return converted;
    }

    private static JsonNode toTree(ObjectMapper mapper, String what, Object value) {
        try {
            return mapper.valueToTree(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " cannot be written property by property ("
                    + value.getClass().getName() + "): " + e.getMessage(), e);
        }
    }

    private static String originalMessage(Exception e) {
        return e instanceof JsonProcessingException ? ((JsonProcessingException) e).getOriginalMessage() : String.valueOf(e.getMessage());
    }

    /**
     * Where the new tree fails to hold what the old one held, or null if it holds all of it. Properties
     * only the new tree has are fields the new class added: they keep their initial value, and nothing
     * of the old value is lost by them.
     */
    private static String firstLoss(String path, JsonNode before, JsonNode after) {
        if (before.isObject() && after.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = before.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> field = it.next();
                JsonNode other = after.get(field.getKey());
                String at = path + "/" + field.getKey();
                if (other == null) {
                    return "property " + at + " is dropped";
                }
                String loss = firstLoss(at, field.getValue(), other);
                if (loss != null) {
                    return loss;
                }
            }
            return null;
        }
        if (before.isArray() && after.isArray() && before.size() == after.size()) {
            for (int i = 0; i < before.size(); i++) {
                String loss = firstLoss(path + "/" + i, before.get(i), after.get(i));
                if (loss != null) {
                    return loss;
                }
            }
            return null;
        }
        if (sameValue(before, after)) {
            return null;
        }
        return "at " + (path.isEmpty() ? "/" : path) + " " + abbreviate(before) + " becomes " + abbreviate(after);
    }

    /** Scalars: numbers by value (1 == 1L == BigInteger.ONE), NaN and infinities by identity, the rest by equality. */
    private static boolean sameValue(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            if (!finite(a) || !finite(b)) {
                return Double.compare(a.doubleValue(), b.doubleValue()) == 0 && !finite(a) && !finite(b);
            }
            return a.decimalValue().compareTo(b.decimalValue()) == 0;
        }
        return a.equals(b);
    }

    private static boolean finite(JsonNode number) {
        return !(number.isDouble() || number.isFloat()) || Double.isFinite(number.doubleValue());
    }

    private static String abbreviate(JsonNode node) {
        String text = node.toString();
        return text.length() <= 60 ? text : text.substring(0, 57) + "...";
    }
}
