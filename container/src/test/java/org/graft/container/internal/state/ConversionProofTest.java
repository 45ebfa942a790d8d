package org.graft.container.internal.state;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.lang.reflect.Type;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.type.TypeFactory;

import org.graft.container.internal.state.ConversionProof.Verdict;
import org.graft.transformer.StateType;
import org.junit.Test;

/**
 * Which old values and target types {@link ConversionProof} vouches for, and that {@link StateCodec}'s
 * one-pass conversions give what the full check gives and refuse what it refuses, with its words.
 */
public class ConversionProofTest {
    static final class LongTally {
        long count;
        long updatedAt;

        LongTally() {
        }

        LongTally(long count, long updatedAt) {
            this.count = count;
            this.updatedAt = updatedAt;
        }
    }

    static final class BigTally {
        BigInteger count;
        long updatedAt;

        BigTally() {
        }

        BigTally(BigInteger count, long updatedAt) {
            this.count = count;
            this.updatedAt = updatedAt;
        }
    }

    static final class IntCount {
        int count;

        IntCount() {
        }

        IntCount(int count) {
            this.count = count;
        }
    }

    static final class LongCount {
        long count;
    }

    static final class LongTallyWithNote {
        long count;
        long updatedAt;
        String note = "added in the new version";
    }

    static final class CountOnly {
        long count;
    }

    static final class ObjectCount {
        Object count;
    }

    static final class TextCount {
        String count;

        TextCount() {
        }

        TextCount(String count) {
            this.count = count;
        }
    }

    static final class DoubleAverage {
        double average;

        DoubleAverage() {
        }

        DoubleAverage(double average) {
            this.average = average;
        }
    }

    static final class FloatAverage {
        float average;
    }

    static final class DoubleCount {
        double count;
    }

    static class Base {
        long id;
    }

    static final class Sub extends Base {
        String extra = "only the subclass has me";
    }

    static final class HolderV1 {
        Base item;

        HolderV1() {
        }

        HolderV1(Base item) {
            this.item = item;
        }
    }

    static final class BaseV2 {
        long id;
    }

    static final class HolderV2 {
        BaseV2 item;
    }

    enum ColourV1 { RED, GREEN, BLUE }

    enum ColourV2 { RED, GREEN }

    enum ColourV3 { BLUE, GREEN, RED, YELLOW }

    static final class Paint {
        ColourV1 colour;

        Paint() {
        }

        Paint(ColourV1 colour) {
            this.colour = colour;
        }
    }

    static final class PaintV2 {
        ColourV2 colour;
    }

    static final class PaintV3 {
        ColourV3 colour;
    }

    private final StateCodec codec = new StateCodec();
    private final ConversionProof proof = codec.proof();

    private static JavaType type(Type type) {
        return TypeFactory.defaultInstance().constructType(type);
    }

    private static Map<String, LongTally> longTallies(long... counts) {
        Map<String, LongTally> tallies = new ConcurrentHashMap<>();
        for (int i = 0; i < counts.length; i++) {
            tallies.put("k" + i, new LongTally(counts[i], 1000 + i));
        }
        return tallies;
    }

    private static Map<String, BigTally> bigTallies(BigInteger... counts) {
        Map<String, BigTally> tallies = new LinkedHashMap<>();
        for (int i = 0; i < counts.length; i++) {
            tallies.put("k" + i, new BigTally(counts[i], 1000 + i));
        }
        return tallies;
    }

    private static final Type BIG_TALLIES = new StateType<ConcurrentHashMap<String, BigTally>>() { }.type();
    private static final Type LONG_TALLIES = new StateType<ConcurrentHashMap<String, LongTally>>() { }.type();

    @Test
    public void wideningAndSameTypesAreLossless() {
        assertEquals(Verdict.LOSSLESS, proof.examine(new LongTally(Long.MIN_VALUE, 1), type(BigTally.class)));
        assertEquals(Verdict.LOSSLESS, proof.examine(new IntCount(7), type(LongCount.class)));
        assertEquals(Verdict.LOSSLESS, proof.examine(new LongTally(1, 2), type(LongTally.class)));
        assertEquals(Verdict.LOSSLESS, proof.examine(longTallies(1, 2, 3), type(BIG_TALLIES)));
        assertEquals("fields only the new class has keep their initial value",
                Verdict.LOSSLESS, proof.examine(new LongTally(1, 2), type(LongTallyWithNote.class)));
        assertEquals("every old constant exists in the new enum",
                Verdict.LOSSLESS, proof.examine(new Paint(ColourV1.BLUE), type(PaintV3.class)));
    }

    @Test
    public void nestedMapsAndListsOfLosslessPairsAreLossless() {
        Map<String, List<LongTally>> nested = new HashMap<>();
        nested.put("a", new ArrayList<>(List.of(new LongTally(1, 2), new LongTally(3, 4))));
        nested.put("b", List.of());
        assertEquals(Verdict.LOSSLESS, proof.examine(nested, type(new StateType<Map<String, List<BigTally>>>() { }.type())));
        assertEquals(Verdict.LOSSLESS, proof.examine(new int[] {1, 2}, type(long[].class)));
    }

    @Test
    public void integralNarrowingIsLeftToAComparisonOfValues() {
        Map<String, BigTally> fits = bigTallies(BigInteger.ONE, BigInteger.valueOf(Long.MAX_VALUE));
        JavaType target = type(LONG_TALLIES);
        assertEquals(Verdict.CHECK_VALUES, proof.examine(fits, target));
        assertEquals(Verdict.CHECK_VALUES, proof.examine(new LongCount(), type(IntCount.class)));
        assertTrue(proof.keepsValues(fits, codec.convertWithFullCheck("m", fits, LONG_TALLIES), target));
        // a converted value that differs from the old one, as a wrapping narrowing would give
        Map<String, LongTally> wrapped = longTallies(1, Long.MIN_VALUE);
        assertFalse(proof.keepsValues(fits, wrapped, target));
    }

    @Test
    public void unsoundPairsAreUnproven() {
        assertEquals("Object-typed field", Verdict.UNPROVEN, proof.examine(new LongTally(1, 2), type(ObjectCount.class)));
        assertEquals("subclass carries a property the new class lacks",
                Verdict.UNPROVEN, proof.examine(new HolderV1(new Sub()), type(HolderV2.class)));
        assertEquals("enum constant missing", Verdict.UNPROVEN, proof.examine(new Paint(ColourV1.BLUE), type(PaintV2.class)));
        assertEquals("String to int", Verdict.UNPROVEN, proof.examine(new TextCount("12"), type(IntCount.class)));
        assertEquals("int to String", Verdict.UNPROVEN, proof.examine(new IntCount(12), type(TextCount.class)));
        assertEquals("double to float", Verdict.UNPROVEN, proof.examine(new DoubleAverage(0.1), type(FloatAverage.class)));
        assertEquals("long to double loses precision beyond 2^53",
                Verdict.UNPROVEN, proof.examine(new LongCount(), type(DoubleCount.class)));
        assertEquals("removed field", Verdict.UNPROVEN, proof.examine(new LongTally(1, 2), type(CountOnly.class)));
        assertEquals("a set may merge or reorder elements",
                Verdict.UNPROVEN, proof.examine(List.of(1, 2), type(new StateType<java.util.Set<Long>>() { }.type())));
        assertEquals("a non-String key", Verdict.UNPROVEN, proof.examine(Map.of(1, 2L), type(new StateType<Map<Integer, Long>>() { }.type())));
    }

    @Test
    public void theDeclaredTypeIsNotTrustedWhereTheRuntimeClassCanDiffer() {
        // the same declared field, holding an instance of the declared class, is fine
        assertEquals(Verdict.LOSSLESS, proof.examine(new HolderV1(new Base()), type(HolderV2.class)));
        Map<String, Base> mixed = new LinkedHashMap<>();
        mixed.put("plain", new Base());
        mixed.put("sub", new Sub());
        assertEquals("one entry of another class is enough",
                Verdict.UNPROVEN, proof.examine(mixed, type(new StateType<Map<String, BaseV2>>() { }.type())));
    }

    private void assertSameAsFullCheck(Object value, Type target) {
        assertTrue("this comparison must take the one-pass path", proof.examine(value, type(target)) != Verdict.UNPROVEN);
        Object fast = codec.convert("e", value, target);
        Object reference = new StateCodec().convertWithFullCheck("e", value, target);
        ObjectMapper plain = new ObjectMapper().setVisibility(com.fasterxml.jackson.annotation.PropertyAccessor.FIELD,
                com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility.ANY);
        assertEquals(reference.getClass(), fast.getClass());
        assertEquals(plain.valueToTree(reference), plain.valueToTree(fast));
    }

    @Test
    public void onePassConversionsEqualTheFullCheck() {
        assertSameAsFullCheck(longTallies(1, Long.MAX_VALUE, Long.MIN_VALUE), BIG_TALLIES);
        assertSameAsFullCheck(bigTallies(BigInteger.ONE, BigInteger.valueOf(-7)), LONG_TALLIES);
        assertSameAsFullCheck(new LongTally(3, 4), LongTallyWithNote.class);
        assertSameAsFullCheck(new Paint(ColourV1.GREEN), PaintV3.class);
        Map<String, List<LongTally>> nested = new HashMap<>();
        nested.put("a", List.of(new LongTally(1, 2)));
        assertSameAsFullCheck(nested, new StateType<Map<String, List<BigTally>>>() { }.type());
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

    private void assertRefusedAsByTheFullCheck(Object value, Type target, String path) {
        String now = refusal(() -> codec.convert("state entry 'e'", value, target));
        String before = refusal(() -> new StateCodec().convertWithFullCheck("state entry 'e'", value, target));
        assertEquals(before, now);
        assertTrue(now, now.contains(path));
    }

    @Test
    public void refusalsAreTheFullChecksWithThePathOfTheFirstLoss() {
        BigInteger beyondLong = BigInteger.valueOf(Long.MAX_VALUE).add(BigInteger.ONE);
        assertRefusedAsByTheFullCheck(bigTallies(BigInteger.ONE, beyondLong), LONG_TALLIES, "/k1/count");
        LongCount odd = new LongCount();
        odd.count = (1L << 53) + 1;
        assertRefusedAsByTheFullCheck(odd, DoubleCount.class, "/count");
        LongCount wide = new LongCount();
        wide.count = 1L << 40;
        assertRefusedAsByTheFullCheck(wide, IntCount.class, "count");
        assertRefusedAsByTheFullCheck(new LongTally(1, 2), CountOnly.class, "updatedAt");
        assertRefusedAsByTheFullCheck(new Paint(ColourV1.BLUE), PaintV2.class, "BLUE");
        assertRefusedAsByTheFullCheck(new HolderV1(new Sub()), HolderV2.class, "extra");
        assertRefusedAsByTheFullCheck(new TextCount("12"), IntCount.class, "/count");
    }
}
