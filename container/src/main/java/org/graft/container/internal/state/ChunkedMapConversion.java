package org.graft.container.internal.state;

import java.io.IOException;
import java.util.AbstractMap;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.util.TokenBuffer;

/**
 * The one-pass conversion of a top-level String-keyed JDK map, done a chunk of entries at a time into a
 * map created at its final capacity: one token buffer of the whole map (hundreds of MB for large state)
 * outlives young collections and is copied into the old generation, and a target map grown entry by
 * entry rehashes itself about log2(n) times. A chunk's buffer dies young and the map never resizes.
 *
 * <p>Each chunk is written by Jackson's own map serializer and read by the target type's own map
 * deserializer, updating the presized map, so entries are converted exactly as the one pass converts
 * them; a failure in any chunk propagates and the caller takes the full check of the whole value.
 */
final class ChunkedMapConversion {
    /**
     * Measured on 1.6 M tallies (100 MB of JSON) in one JVM: 1 K to 64 K entries per chunk perform alike within
     * the noise of a shared 2-core machine; at 8 K a chunk's buffer (about 0.5 MB) dies in the young generation.
     */
    static final int CHUNK_ENTRIES = 8192;

    private final ObjectMapper mapper;
    private final int chunkEntries;

    ChunkedMapConversion(ObjectMapper mapper) {
        this(mapper, CHUNK_ENTRIES);
    }

    ChunkedMapConversion(ObjectMapper mapper, int chunkEntries) {
        this.mapper = mapper;
        this.chunkEntries = chunkEntries;
    }

    /**
     * The converted map, or null when the map class Jackson creates for {@code target} is none this class
     * can presize (then the caller converts in one pass). {@code value}'s keys must be Strings, as
     * {@link ConversionProof} has shown whenever its verdict is not UNPROVEN.
     */
    Map<Object, Object> convert(Map<?, ?> value, JavaType target) throws IOException {
        ObjectReader reader = mapper.readerFor(target);
        Map<Object, Object> result = presized(reader, value.size());
        if (result == null) {
            return null;
        }
        ObjectReader updating = reader.withValueToUpdate(result);
        Map.Entry<?, ?>[] chunk = new Map.Entry<?, ?>[Math.min(chunkEntries, Math.max(1, value.size()))];
        int filled = 0;
        for (Map.Entry<?, ?> entry : value.entrySet()) {
            chunk[filled++] = entry;
            if (filled == chunk.length) {
                readChunk(updating, chunk, filled);
                filled = 0;
            }
        }
        if (filled > 0) {
            readChunk(updating, chunk, filled);
        }
        return result;
    }

    /**
     * An empty map of the class Jackson itself picks for {@code target} (LinkedHashMap for Map,
     * ConcurrentHashMap for ConcurrentMap, ...), at a capacity that holds {@code size} entries without
     * resizing; null for any other class, whose constructors this class does not know.
     */
    @SuppressWarnings("unchecked")
    private static Map<Object, Object> presized(ObjectReader reader, int size) throws IOException {
        Class<?> created;
        try (TokenBuffer empty = new TokenBuffer(reader, false)) {
            empty.writeStartObject();
            empty.writeEndObject();
            try (JsonParser parser = empty.asParser(reader)) {
                created = reader.readValue(parser).getClass();
            }
        }
        // the table a map grown to size entries would have, no larger: HashMap's capacity counts buckets
        int buckets = (int) Math.min(Integer.MAX_VALUE, (long) Math.ceil(size / 0.75));
        if (created == HashMap.class) {
            return new HashMap<>(buckets);
        }
        if (created == LinkedHashMap.class) {
            return new LinkedHashMap<>(buckets);
        }
        if (created == ConcurrentHashMap.class) {
            // its one-argument constructor sizes for 1.5 times the entries, up to twice the table a grown map has
            return new ConcurrentHashMap<>(Math.max(size, 1), 0.75f);
        }
        return null;
    }

    private void readChunk(ObjectReader updating, Map.Entry<?, ?>[] chunk, int filled) throws IOException {
        TokenBuffer buffer = new TokenBuffer(mapper, false);
        mapper.writeValue(buffer, new ChunkView(chunk, filled));
        try (JsonParser parser = buffer.asParser(mapper)) {
            updating.readValue(parser);
        }
    }

    /** A chunk of the old map's entries as a map, so that Jackson's map serializer writes them as it writes the whole map. */
    private static final class ChunkView extends AbstractMap<Object, Object> {
        private final Map.Entry<?, ?>[] entries;
        private final int size;

        ChunkView(Map.Entry<?, ?>[] entries, int size) {
            this.entries = entries;
            this.size = size;
        }

        @Override
        public int size() {
            return size;
        }

        @Override
        public Set<Map.Entry<Object, Object>> entrySet() {
            return new java.util.AbstractSet<>() {
                @Override
                public int size() {
                    return size;
                }

                @Override
                @SuppressWarnings("unchecked")
                public Iterator<Map.Entry<Object, Object>> iterator() {
                    return Arrays.asList((Map.Entry<Object, Object>[]) entries).subList(0, size).iterator();
                }
            };
        }
    }
}
