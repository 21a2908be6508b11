package dev.ravine.data;

import static dev.ravine.data.IdxReaderTest.assertContains;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class DataChecksTest {
    @Test
    void findsThePlantedNaNBySampleAndFeature() {
        float[] x = new float[20 * 400];
        x[12 * 400 + 345] = Float.NaN;
        x[15 * 400 + 2] = Float.POSITIVE_INFINITY; // later: the first bad value is the one reported
        Dataset d = Dataset.classification(x, new int[] {400}, new int[20], 1);
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> DataChecks.requireFinite(d, "train data (data/x.csv)"));
        assertContains(e, "train data (data/x.csv): value NaN at sample 12, feature 345");
    }

    @Test
    void findsInfiniteRegressionTargets() {
        Dataset d = Dataset.regression(new float[3], new int[] {1}, new float[] {0, 1, Float.NEGATIVE_INFINITY},
                new int[] {1});
        assertContains(assertThrows(DataFormatException.class, () -> DataChecks.requireFinite(d, "test data")),
                "test data: target -Infinity at sample 2");
    }

    @Test
    void finiteDataPasses() {
        assertDoesNotThrow(() -> DataChecks.requireFinite(DataLoaderTest.indexed(10), "train data"));
    }
}
