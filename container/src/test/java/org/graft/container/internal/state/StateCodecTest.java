package org.graft.container.internal.state;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.graft.transformer.StateType;
import org.junit.Test;

/** Property-by-property conversion that refuses loss, naming where it would happen. */
public class StateCodecTest {
    static final class LongCount {
        long count;

        LongCount() {
        }

        LongCount(long count) {
            this.count = count;
        }
    }

    static final class BigCount {
        BigInteger count;

        BigCount() {
        }

        BigCount(BigInteger count) {
            this.count = count;
        }
    }

    static final class DoubleCount {
        double count;

        DoubleCount() {
        }

        DoubleCount(double count) {
            this.count = count;
        }
    }

    static final class IntCount {
        int count;
    }

    static final class Outer {
        String label;
        DoubleCount inner;

        Outer() {
        }

        Outer(String label, DoubleCount inner) {
            this.label = label;
            this.inner = inner;
        }
    }

    static final class OuterWithLong {
        String label;
        LongCount inner;
    }

    static final class CountWithNote {
        long count;
        String note;

        CountWithNote() {
        }

        CountWithNote(long count, String note) {
            this.count = count;
            this.note = note;
        }
    }

    static final class TextCount {
        String count;

        TextCount() {
        }

        TextCount(String count) {
            this.count = count;
        }
    }

    private final StateCodec codec = new StateCodec();

    private static IllegalArgumentException refused(Runnable conversion) {
        try {
            conversion.run();
        } catch (IllegalArgumentException e) {
            return e;
        }
        fail("the conversion was expected to be refused");
        return null;
    }

    @Test
    public void longIntoBigIntegerIsLossless() {
        BigCount converted = (BigCount) codec.convert("state entry 'c'", new LongCount(Long.MAX_VALUE), BigCount.class);
        assertEquals(BigInteger.valueOf(Long.MAX_VALUE), converted.count);
    }

    @Test
    public void bigIntegerBeyondLongRangeIntoLongIsRefused() {
        BigInteger huge = BigInteger.valueOf(Long.MAX_VALUE).add(BigInteger.ONE);
        IllegalArgumentException e = refused(() -> codec.convert("state entry 'c'", new BigCount(huge), LongCount.class));
        assertTrue(e.getMessage(), e.getMessage().contains("state entry 'c'"));
        // within range the way back is fine
        LongCount ok = (LongCount) codec.convert("state entry 'c'", new BigCount(BigInteger.valueOf(-5)), LongCount.class);
        assertEquals(-5L, ok.count);
    }

    @Test
    public void fractionIntoLongFieldIsRefusedNamingThePath() {
        IllegalArgumentException e = refused(() -> codec.convert("state entry 'c'", new DoubleCount(1.5), LongCount.class));
        assertTrue(e.getMessage(), e.getMessage().contains("/count"));
        assertTrue(e.getMessage(), e.getMessage().contains("state entry 'c'"));
        // a whole double is not a loss
        assertEquals(2L, ((LongCount) codec.convert("c", new DoubleCount(2.0), LongCount.class)).count);
    }

    @Test
    public void fractionInNestedBeanIsRefusedNamingTheNestedPath() {
        IllegalArgumentException e = refused(() -> codec.convert("state entry 'outer'",
                new Outer("x", new DoubleCount(1.5)), OuterWithLong.class));
        assertTrue(e.getMessage(), e.getMessage().contains("/inner/count"));
    }

    @Test
    public void longBeyondDoublePrecisionIsRefused() {
        long odd = (1L << 53) + 1;
        IllegalArgumentException e = refused(() -> codec.convert("c", new LongCount(odd), DoubleCount.class));
        assertTrue(e.getMessage(), e.getMessage().contains("/count"));
    }

    @Test
    public void longOutOfIntRangeIsRefused() {
        refused(() -> codec.convert("c", new LongCount(1L << 40), IntCount.class));
    }

    @Test
    public void textReinterpretedAsNumberIsRefused() {
        IllegalArgumentException e = refused(() -> codec.convert("c", new TextCount("12"), LongCount.class));
        assertTrue(e.getMessage(), e.getMessage().contains("/count"));
    }

    @Test
    public void propertyMissingInTargetIsRefusedNamingIt() {
        IllegalArgumentException e = refused(() -> codec.convert("state entry 'c'", new CountWithNote(3, "keep me"), LongCount.class));
        assertTrue(e.getMessage(), e.getMessage().contains("note"));
        assertTrue(e.getMessage(), e.getMessage().contains("state entry 'c'"));
    }

    /** The class comment's rule: the trees before and after must be equal, so a property the old value lacks is refused. */
    @Test
    public void propertyOnlyInTargetIsANewFieldThatKeepsItsInitialValue() {
        // Adding a field to a state class loses nothing of the old value.
        CountWithNote converted = (CountWithNote) codec.convert("c", new LongCount(3), CountWithNote.class);
        assertEquals(3L, converted.count);
    }

    @Test
    public void mapOfBeansIsConvertedEntryByEntry() {
        Map<String, LongCount> before = new LinkedHashMap<>();
        before.put("a", new LongCount(1));
        before.put("b", new LongCount(Long.MIN_VALUE));
        @SuppressWarnings("unchecked")
        Map<String, BigCount> after = (Map<String, BigCount>) codec.convert("state entry 'm'", before,
                new StateType<Map<String, BigCount>>() { }.type());
        assertEquals(List.of("a", "b"), List.copyOf(after.keySet()));
        assertEquals(BigInteger.ONE, after.get("a").count);
        assertEquals(BigInteger.valueOf(Long.MIN_VALUE), after.get("b").count);
    }

    @Test
    public void lossInOneEntryOfAMapIsRefusedNamingTheEntry() {
        Map<String, DoubleCount> before = new LinkedHashMap<>();
        before.put("fine", new DoubleCount(1));
        before.put("lossy", new DoubleCount(0.5));
        IllegalArgumentException e = refused(() -> codec.convert("state entry 'm'", before,
                new StateType<Map<String, LongCount>>() { }.type()));
        assertTrue(e.getMessage(), e.getMessage().contains("/lossy/count"));
    }

    static final class OtherDoubleCount {
        double count;
    }

    private void assertDoubleConvertsLosslessly(double special) {
        Object converted;
        try {
            converted = codec.convert("state entry 'avg'", new DoubleCount(special), OtherDoubleCount.class);
        } catch (RuntimeException e) {
            throw new AssertionError("converting a double field holding " + special + " into a double field failed: " + e, e);
        }
        assertEquals(special, ((OtherDoubleCount) converted).count, 0.0);
    }

    /** NaN is a double like any other: double to double loses nothing. */
    @Test
    public void nanInDoubleFieldConvertsLosslessly() {
        assertDoubleConvertsLosslessly(Double.NaN);
    }

    @Test
    public void infinityInDoubleFieldConvertsLosslessly() {
        assertDoubleConvertsLosslessly(Double.POSITIVE_INFINITY);
        assertDoubleConvertsLosslessly(Double.NEGATIVE_INFINITY);
    }

    static final class SelfReferencing {
        String name = "loop";
        SelfReferencing self = this;
    }

    static final class Stamp {
        java.time.Instant at = java.time.Instant.EPOCH;
    }

    static final class OtherStamp {
        java.time.Instant at;
    }

    /** The contract: "@throws IllegalArgumentException naming what", also when the old value cannot even be read. */
    @Test
    public void cyclicOldValueIsRefusedNamingTheEntry() {
        IllegalArgumentException e = refused(() -> codec.convert("state entry 'graph'", new SelfReferencing(), SelfReferencing.class));
        assertTrue(e.getMessage(), e.getMessage().contains("state entry 'graph'"));
    }

    @Test
    public void oldValueJacksonCannotSerializeIsRefusedNamingTheEntry() {
        IllegalArgumentException e = refused(() -> codec.convert("state entry 'stamp'", new Stamp(), OtherStamp.class));
        assertTrue(e.getMessage(), e.getMessage().contains("state entry 'stamp'"));
    }

    @Test
    public void nullConvertsToNull() {
        assertNull(codec.convert("c", null, LongCount.class));
        assertNull(codec.convert("c", null, new StateType<Map<String, BigCount>>() { }.type()));
    }
}
