package dev.ravine.data;

import static dev.ravine.data.IdxReaderTest.assertContains;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class DatasetTest {
    /** Four samples of shape [2]: sample i is (10i, 10i+1). */
    static Dataset fourSamples() {
        return Dataset.classification(new float[] {0, 1, 10, 11, 20, 21, 30, 31}, new int[] {2}, new int[] {0, 2, 2, 1}, 4);
    }

    @Test
    void reportsSizeShapeAndClassCounts() {
        Dataset d = fourSamples();
        assertEquals(4, d.size());
        assertArrayEquals(new int[] {2}, d.sampleShape());
        assertEquals(2, d.sampleSize());
        assertEquals(4, d.numClasses());
        assertArrayEquals(new int[] {1, 1, 2, 0}, d.classCounts(), "class 3 has no sample");
    }

    @Test
    void subsetCopiesRowsInTheGivenOrder() {
        Dataset s = fourSamples().subset(new int[] {3, 1});
        assertArrayEquals(new float[] {30, 31, 10, 11}, s.features());
        assertArrayEquals(new int[] {1, 2}, s.labels());
        assertEquals(4, s.numClasses());
    }

    @Test
    void regressionSubsetCopiesTargets() {
        Dataset d = Dataset.regression(new float[] {1, 2, 3}, new int[] {1}, new float[] {5, 6, 7, 8, 9, 10}, new int[] {2});
        assertEquals(3, d.size());
        Dataset s = d.subset(new int[] {2, 0});
        assertArrayEquals(new float[] {3, 1}, s.features());
        assertArrayEquals(new float[] {9, 10, 5, 6}, s.targets());
        assertContains(assertThrows(DataFormatException.class, d::labels), "regression", "targets()");
    }

    @Test
    void featureAndLabelCountsMustAgree() {
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> Dataset.classification(new float[7], new int[] {1, 2, 2}, new int[] {0, 1}, 2));
        assertContains(e, "7 values", "2 samples", "[1, 2, 2]", "need 8");
    }

    @Test
    void labelsMustBeBelowNumClasses() {
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> Dataset.classification(new float[3], new int[] {1}, new int[] {0, 5, 1}, 3));
        assertContains(e, "label 5 of sample 1", "[0, 3)");
        assertContains(assertThrows(DataFormatException.class,
                () -> Dataset.classification(new float[1], new int[] {1}, new int[] {-1}, 3)), "label -1");
    }

    @Test
    void regressionTargetsMustBeWholeRows() {
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> Dataset.regression(new float[2], new int[] {1}, new float[3], new int[] {2}));
        assertContains(e, "3 values", "shape [2]");
    }
}
