package org.graft.container.internal.state;

import java.io.IOException;
import java.lang.reflect.Type;
import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.ser.DefaultSerializerProvider;
import com.fasterxml.jackson.databind.type.TypeFactory;
import com.fasterxml.jackson.databind.util.LRUMap;
import com.fasterxml.jackson.databind.util.TokenBuffer;

/**
 * Converts state values between the types of two versions, property by property (Jackson, fields
 * only), and refuses conversions that lose or misread data.
 *
 * <p>A value is written to a tree with its old runtime classes, read into the new type, written back
 * to a tree with the new classes, and the new tree must hold everything the old one held (numbers
 * compared by value; properties only the new class has are new fields and keep their initial value).
 * So a property the new type lacks fails the read (unknown properties are errors), and a narrowing or
 * a reinterpretation fails the comparison, with the path of the first loss in the message.
 *
 * <p>When {@link ConversionProof} shows from the runtime classes present that the check cannot find a
 * loss (or can only find one in integral narrowings, whose values it then compares), the value is
 * converted in one pass through a token buffer instead; whatever that pass cannot vouch for (an
 * unproven type, a failed read, a changed value) takes the full check, which alone words refusals. A
 * top-level map takes that pass in chunks ({@link ChunkedMapConversion}), into a map created at its final size.
 *
 * <p>One codec serves one transfer and is then dropped (it is not thread-safe): Jackson caches (de)serializers and types per
 * class, and a long-lived mapper, or the type factory that mappers share by default, would keep retired versions' classes, and so
 * their class loaders, alive.
 */
public final class StateCodec {
    /** Built on first use: a hand-over by reference never needs it, and building one costs milliseconds. */
    private ObjectMapper mapper;
    /** Its judgments of class pairs are kept as long as the mapper's (de)serializers: one transfer. */
    private ConversionProof proof;

    private ObjectMapper mapper() {
        if (mapper == null) {
            mapper = JsonMapper.builder()
                    .visibility(PropertyAccessor.ALL, Visibility.NONE)
                    .visibility(PropertyAccessor.FIELD, Visibility.ANY)
                    .visibility(PropertyAccessor.CREATOR, Visibility.ANY)
                    .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                    .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                    // Every mapper shares TypeFactory.defaultInstance() unless given its own, and its cache
                    // of 200 types would keep that many retired versions' classes alive after the transfer.
                    .typeFactory(TypeFactory.defaultInstance().withCache(new LRUMap<>(16, 200)))
                    .build();
            proof = new ConversionProof(mapper);
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
        ConversionProof.Verdict verdict = proof.examine(value, target);
        if (verdict != ConversionProof.Verdict.UNPROVEN) {
            Object converted;
            try {
                converted = value instanceof Map ? new ChunkedMapConversion(mapper).convert((Map<?, ?>) value, target) : null;
                if (converted == null) {
                    converted = convertInOnePass(mapper, value, target);
                }
            } catch (IOException | RuntimeException e) {
                // the full check below fails the same way and words the refusal
                converted = FAILED;
            }
            if (converted != FAILED && (verdict == ConversionProof.Verdict.LOSSLESS || proof.keepsValues(value, converted, target))) {
                return converted;
            }
        }
        return convertWithFullCheck(mapper, what, value, targetType, target);
    }

    /**
     * The full check alone, as every conversion ran before the one-pass path: what the tests and
     * {@code ConversionPathHarness} compare that path with. (Public for the harness, which runs outside
     * OSGi; the package is internal and not exported.)
     */
    public Object convertWithFullCheck(String what, Object value, Type targetType) {
        ObjectMapper mapper = mapper();
        return value == null ? null : convertWithFullCheck(mapper, what, value, targetType, mapper.getTypeFactory().constructType(targetType));
    }

    /** For tests: how many serializers the mapper has built and keeps (0 before the first conversion). */
    int cachedSerializers() {
        return mapper == null ? 0 : ((DefaultSerializerProvider) mapper.getSerializerProviderInstance()).cachedSerializersCount();
    }

    /** For tests: the proof this codec's conversions consult, and the mapper it judges for. */
    ConversionProof proof() {
        mapper();
        return proof;
    }

    private static final Object FAILED = new Object();

    /** Jackson's conversion, spelt out so that no shortcut returns the old instance itself. */
    private static Object convertInOnePass(ObjectMapper mapper, Object value, JavaType target) throws IOException {
        TokenBuffer buffer = new TokenBuffer(mapper, false);
        mapper.writeValue(buffer, value);
        try (JsonParser parser = buffer.asParser(mapper)) {
            return mapper.readerFor(target).readValue(parser);
        }
    }

    /** Two trees compared node by node: the reference for what a conversion must keep, and the wording of every refusal. */
    private static Object convertWithFullCheck(ObjectMapper mapper, String what, Object value, Type targetType, JavaType target) {
        JsonNode before = toTree(mapper, what, value);
        Object converted;
        try {
            converted = mapper.readerFor(target).readValue(before);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(what + " cannot be read as " + targetType.getTypeName() + ": "
                    + originalMessage(e) + where(e), e);
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

    /** Where in the value a read failed (a number beyond the new type's range, say), as the loss check names paths. */
    private static String where(Exception e) {
        if (!(e instanceof JsonMappingException) || ((JsonMappingException) e).getPath().isEmpty()) {
            return "";
        }
        StringBuilder path = new StringBuilder(" at ");
        for (JsonMappingException.Reference step : ((JsonMappingException) e).getPath()) {
            path.append('/').append(step.getFieldName() != null ? step.getFieldName() : String.valueOf(step.getIndex()));
        }
        return path.toString();
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
