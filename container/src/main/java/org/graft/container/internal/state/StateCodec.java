package org.graft.container.internal.state;

import java.lang.reflect.Type;
import java.util.Comparator;
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
 * Converts state values between the types of two versions, property by property (Jackson, fields
 * only), and refuses conversions that lose or misread data.
 *
 * <p>A value is written to a tree with its old runtime classes, read into the new type, written back
 * to a tree with the new classes, and the two trees must be equal (numbers compared by value). So a
 * property the new type lacks fails the read (unknown properties are errors), and a narrowing or a
 * reinterpretation fails the comparison, with the path of the first difference in the message.
 *
 * <p>One codec serves one transfer and is then dropped (it is not thread-safe): Jackson caches (de)serializers per class, and a
 * long-lived mapper would keep every retired version's classes, and so its class loader, alive.
 */
public final class StateCodec {
    private static final Comparator<JsonNode> NUMBERS_BY_VALUE = (a, b) -> {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue());
        }
        return a.equals(b) ? 0 : 1;
    };

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
        JsonNode before = mapper.valueToTree(value);
        Object converted;
        try {
            converted = mapper.readerFor(target).readValue(before);
        } catch (java.io.IOException | RuntimeException e) {
            throw new IllegalArgumentException(what + " cannot be read as " + targetType.getTypeName() + ": "
                    + originalMessage(e), e);
        }
        JsonNode after = mapper.valueToTree(converted);
        String difference = firstDifference("", before, after);
        if (difference != null) {
            throw new IllegalArgumentException(what + " would not survive conversion from "
                    + value.getClass().getName() + " to " + targetType.getTypeName() + ": " + difference);
        }
        return converted;
    }

    private static String originalMessage(Exception e) {
        return e instanceof JsonProcessingException ? ((JsonProcessingException) e).getOriginalMessage() : String.valueOf(e.getMessage());
    }

    /** The path and values of the first difference between the trees, or null if they are equal. */
    private static String firstDifference(String path, JsonNode before, JsonNode after) {
        if (before.equals(NUMBERS_BY_VALUE, after)) {
            return null;
        }
        if (before.isObject() && after.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = before.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> field = it.next();
                JsonNode other = after.get(field.getKey());
                String at = path + "/" + field.getKey();
                if (other == null) {
                    return "property " + at + " is dropped";
                }
                String difference = firstDifference(at, field.getValue(), other);
                if (difference != null) {
                    return difference;
                }
            }
            for (Iterator<String> it = after.fieldNames(); it.hasNext();) {
                String name = it.next();
                if (!before.has(name)) {
                    return "property " + path + "/" + name + " appears from nowhere";
                }
            }
        }
        if (before.isArray() && after.isArray() && before.size() == after.size()) {
            for (int i = 0; i < before.size(); i++) {
                String difference = firstDifference(path + "/" + i, before.get(i), after.get(i));
                if (difference != null) {
                    return difference;
                }
            }
        }
        return "at " + (path.isEmpty() ? "/" : path) + " " + abbreviate(before) + " becomes " + abbreviate(after);
    }

    private static String abbreviate(JsonNode node) {
        String text = node.toString();
        return text.length() <= 60 ? text : text.substring(0, 57) + "...";
    }
}
