package org.graft.cluster.internal.rollout;

import java.io.IOException;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Rollout records as JSON text: every node reads them with its own classes, so nothing of this bundle's
 * types travels through the cluster's serialization, and a record stays readable to an operator.
 */
final class RolloutCodec {
    private final ObjectMapper mapper = new ObjectMapper()
            // a node of a later version may add fields; an earlier one reads what it knows
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    String write(Object record) {
        try {
            return mapper.writeValueAsString(record);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + record.getClass().getSimpleName() + " as JSON", e);
        }
    }

    <T> T read(String text, Class<T> type, String key) {
        try {
            return mapper.readValue(text, type);
        } catch (IOException e) {
            throw new IllegalStateException("the cluster record " + key + " is not a readable " + type.getSimpleName()
                    + ": " + e.getMessage(), e);
        }
    }
}
