package dev.ravine.data;

import static dev.ravine.data.IdxReaderTest.assertContains;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SplitTest {
    /** The sample indices a part holds, read back from the first feature (DataLoaderTest.indexed stores i there). */
    private static Set<Integer> indices(Dataset part) {
        Set<Integer> out = new HashSet<>();
        for (int i = 0; i < part.size(); i++) out.add(Math.round(part.features()[i * part.sampleSize()]));
        return out;
    }

    @Test
    void sizesAddUpAndPartsAreDisjoint() {
        Split split = Split.of(DataLoaderTest.indexed(100), 0.2, 5);
        assertEquals(80, split.train().size());
        assertEquals(20, split.validation().size());
        Set<Integer> train = indices(split.train());
        Set<Integer> validation = indices(split.validation());
        assertEquals(80, train.size());
        assertEquals(20, validation.size());
        train.retainAll(validation);
        assertTrue(train.isEmpty(), "a sample is in both parts");
    }

    @Test
    void theSeedDecidesTheSplit() {
        Dataset data = DataLoaderTest.indexed(50);
        assertEquals(indices(Split.of(data, 0.3, 1).validation()), indices(Split.of(data, 0.3, 1).validation()));
        assertTrue(!indices(Split.of(data, 0.3, 1).validation()).equals(indices(Split.of(data, 0.3, 2).validation())));
    }

    @Test
    void labelsFollowTheirSamples() {
        Split split = Split.of(DataLoaderTest.indexed(30), 0.5, 3);
        int[] labels = split.validation().labels();
        for (int i = 0; i < labels.length; i++) {
            assertEquals(Math.round(split.validation().features()[2 * i]) % 3, labels[i]);
        }
    }

    @Test
    void zeroFractionKeepsEverythingForTraining() {
        Split split = Split.of(DataLoaderTest.indexed(10), 0, 3);
        assertEquals(10, split.train().size());
        assertEquals(0, split.validation().size());
        assertArrayEquals(new int[] {1, 2}, split.validation().sampleShape());
    }

    @Test
    void fractionOutsideRangeIsRejected() {
        Dataset data = DataLoaderTest.indexed(10);
        for (double bad : new double[] {-0.1, 1.0, 1.5, Double.NaN}) {
            assertContains(assertThrows(IllegalArgumentException.class, () -> Split.of(data, bad, 0)), "[0, 1)");
        }
        assertContains(assertThrows(IllegalArgumentException.class, () -> Split.of(DataLoaderTest.indexed(1), 0.6, 0)),
                "leaves no training samples");
    }
}
