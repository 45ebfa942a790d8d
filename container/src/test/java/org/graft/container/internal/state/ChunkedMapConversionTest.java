package org.graft.container.internal.state;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.lang.reflect.Type;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.type.TypeFactory;

import org.graft.container.internal.state.ConversionProofTest.BigTally;
import org.graft.container.internal.state.ConversionProofTest.LongTally;
import org.graft.transformer.StateType;
import org.junit.Test;

/** A top-level map converted chunk by chunk gives what the full check gives, and refuses what it refuses, with its words. */
public class ChunkedMapConversionTest {
    // the tallies of ConversionProofTest: a long count in one version, a BigInteger in the next
    /** Several chunks of {@link ChunkedMapConversion#CHUNK_ENTRIES}, and a part chunk at the end. */
    private static final int MANY = 5 * ChunkedMapConversion.CHUNK_ENTRIES + 123;

    private static final Type BIG_TALLIES = new StateType<ConcurrentHashMap<String, BigTally>>() { }.type();
    private static final Type LONG_TALLIES = new StateType<ConcurrentHashMap<String, LongTally>>() { }.type();
    private static final Type ANY_MAP_OF_BIG = new StateType<Map<String, BigTally>>() { }.type();
    private static final Type HASH_MAP_OF_LONG = new StateType<HashMap<String, LongTally>>() { }.type();
    private static final Type SORTED_MAP_OF_BIG = new StateType<SortedMap<String, BigTally>>() { }.type();

    private final StateCodec codec = new StateCodec();

    private static Map<String, LongTally> longTallies(int size) {
        Map<String, LongTally> tallies = new ConcurrentHashMap<>();
        for (int i = 0; i < size; i++) {
            tallies.put("k" + i, new LongTally(i % 3 == 0 ? Long.MIN_VALUE + i : i, 1000 + i));
        }
        return tallies;
    }

    private static Map<String, BigTally> bigTallies(int size) {
        Map<String, BigTally> tallies = new LinkedHashMap<>();
        for (int i = 0; i < size; i++) {
            tallies.put("k" + i, new BigTally(BigInteger.valueOf(i % 3 == 0 ? Long.MAX_VALUE - i : -i), 1000 + i));
        }
        return tallies;
    }

    private void assertSameAsFullCheck(Object value, Type target) {
        Object chunked = codec.convert("e", value, target);
        Object reference = new StateCodec().convertWithFullCheck("e", value, target);
        ObjectMapper plain = new ObjectMapper().setVisibility(PropertyAccessor.FIELD, Visibility.ANY);
        assertEquals(reference.getClass(), chunked.getClass());
        assertEquals(((Map<?, ?>) reference).size(), ((Map<?, ?>) chunked).size());
        assertEquals(plain.valueToTree(reference), plain.valueToTree(chunked));
        assertEquals(((Map<?, ?>) reference).keySet(), ((Map<?, ?>) chunked).keySet());
        if (reference instanceof LinkedHashMap) {
            // a LinkedHashMap keeps the old map's order, as the one pass keeps it
            assertEquals(new ArrayList<>(((Map<?, ?>) reference).keySet()), new ArrayList<>(((Map<?, ?>) chunked).keySet()));
        }
    }

    @Test
    public void mapsOfSeveralChunksEqualTheFullCheck() {
        JavaType target = TypeFactory.defaultInstance().constructType(BIG_TALLIES);
        assertTrue("this comparison must take the one-pass path", codec.proof().examine(longTallies(MANY), target) != ConversionProof.Verdict.UNPROVEN);
        assertSameAsFullCheck(longTallies(MANY), BIG_TALLIES);
        assertSameAsFullCheck(longTallies(MANY), ANY_MAP_OF_BIG);
        // integral narrowing: the values are compared after the chunks are read
        assertSameAsFullCheck(bigTallies(MANY), LONG_TALLIES);
        assertSameAsFullCheck(bigTallies(MANY), HASH_MAP_OF_LONG);
    }

    @Test
    public void smallAndEmptyMapsTakeOneChunk() {
        assertSameAsFullCheck(longTallies(1), BIG_TALLIES);
        assertSameAsFullCheck(longTallies(100), ANY_MAP_OF_BIG);
        assertSameAsFullCheck(bigTallies(0), HASH_MAP_OF_LONG);
        assertSameAsFullCheck(bigTallies(0), LONG_TALLIES);
    }

    @Test
    public void chunksOfAnySizeGiveTheSameMap() throws Exception {
        ObjectMapper mapper = new ObjectMapper().setVisibility(PropertyAccessor.FIELD, Visibility.ANY);
        JavaType target = mapper.getTypeFactory().constructType(BIG_TALLIES);
        Map<String, LongTally> old = longTallies(1000);
        Object reference = mapper.convertValue(old, target);
        for (int chunk : new int[] {1, 7, 999, 1000, 1001}) {
            Map<Object, Object> converted = new ChunkedMapConversion(mapper, chunk).convert(old, target);
            assertEquals(ConcurrentHashMap.class, converted.getClass());
            assertEquals("chunks of " + chunk, mapper.valueToTree(reference), mapper.valueToTree(converted));
        }
    }

    @Test
    public void aMapClassItCannotPresizeIsLeftToTheOnePass() throws Exception {
        ObjectMapper mapper = new ObjectMapper().setVisibility(PropertyAccessor.FIELD, Visibility.ANY);
        assertNull(new ChunkedMapConversion(mapper).convert(longTallies(10), mapper.getTypeFactory().constructType(SORTED_MAP_OF_BIG)));
        Object converted = codec.convert("e", longTallies(10), SORTED_MAP_OF_BIG);
        assertEquals(TreeMap.class, converted.getClass());
        assertEquals(BigInteger.valueOf(5), ((BigTally) ((Map<?, ?>) converted).get("k5")).count);
    }

    private static String refusal(Runnable conversion) {
        try {
            conversion.run();
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        fail("the conversion was expected to be refused");
        return null;
    }

    @Test
    public void aFailureInALateChunkIsTheFullChecksRefusalWithItsPath() {
        Map<String, BigTally> tallies = bigTallies(60_000);
        tallies.get("k50000").count = BigInteger.valueOf(Long.MAX_VALUE).add(BigInteger.ONE);
        String now = refusal(() -> codec.convert("state entry 'e'", tallies, LONG_TALLIES));
        String before = refusal(() -> new StateCodec().convertWithFullCheck("state entry 'e'", tallies, LONG_TALLIES));
        assertEquals(before, now);
        assertTrue(now, now.contains("/k50000/count"));
    }

    @Test
    public void aNullValueInALateChunkOfAConcurrentMapIsTheFullChecksRefusal() {
        Map<String, LongTally> tallies = new LinkedHashMap<>(longTallies(3 * ChunkedMapConversion.CHUNK_ENTRIES));
        tallies.put("null-at-the-end", null);
        String now = refusal(() -> codec.convert("state entry 'e'", tallies, BIG_TALLIES));
        String before = refusal(() -> new StateCodec().convertWithFullCheck("state entry 'e'", tallies, BIG_TALLIES));
        assertEquals(before, now);
    }
}
