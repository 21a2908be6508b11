package dev.ravine.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The generated sets have the properties the pathology suite relies on. */
class SyntheticDataTest {
    private static double std(float[] x, int dims, int j) {
        int n = x.length / dims;
        double mean = 0, sq = 0;
        for (int i = 0; i < n; i++) mean += x[i * dims + j];
        mean /= n;
        for (int i = 0; i < n; i++) sq += (x[i * dims + j] - mean) * (x[i * dims + j] - mean);
        return Math.sqrt(sq / n);
    }

    @Test
    void blobsSpreadTheirScalesSortTheirLabelsAndSprinkleNaN() {
        Dataset d = SyntheticData.blobs(3, 4, 600, 3, 1e4, true, 0, 1);
        assertTrue(std(d.features(), 4, 3) / std(d.features(), 4, 0) > 1e3, "the last feature is ~10^4 times the first");
        int[] y = d.labels();
        for (int i = 1; i < y.length; i++) assertTrue(y[i] >= y[i - 1], "sorted by label");
        assertEquals(2, y[599]);
        long nan = 0;
        for (float v : SyntheticData.blobs(3, 4, 600, 3, 1, false, 0.01, 1).features()) if (Float.isNaN(v)) nan++;
        assertTrue(nan > 5 && nan < 60, nan + " NaN of 2400, about 1%");
        assertEquals(SyntheticData.blobs(3, 4, 50, 3, 1, false, 0, 9).features()[7], SyntheticData.blobs(3, 4, 50, 3, 1, false, 0, 9).features()[7]);
    }

    @Test
    void linearFeaturesShareAScaleButTheirCovarianceIsIllConditioned() {
        Dataset d = SyntheticData.linear(2, 20_000, 100, 0, 3);
        float[] x = d.features();
        double s0 = std(x, 2, 0), s1 = std(x, 2, 1);
        assertEquals(1, s0 / s1, 0.05, "same scale");
        // E[x x^T] eigenvalues along (1,1)/sqrt2 and (1,-1)/sqrt2: 1 and 1/100
        double along = 0, across = 0;
        for (int i = 0; i < x.length / 2; i++) {
            double a = (x[2 * i] + x[2 * i + 1]) / Math.sqrt(2), b = (x[2 * i] - x[2 * i + 1]) / Math.sqrt(2);
            along += a * a;
            across += b * b;
        }
        assertEquals(100, along / across, 5);
        assertThrows(IllegalArgumentException.class, () -> SyntheticData.linear(3, 10, 1, 0, 1));
    }

    @Test
    void spiralsAreBalancedAndBounded() {
        Dataset d = SyntheticData.spirals(2, 1000, 1, 0, 4);
        int ones = 0;
        for (int l : d.labels()) ones += l;
        assertTrue(ones > 400 && ones < 600, ones + " of 1000");
        for (float v : d.features()) assertTrue(Math.abs(v) <= 1.0001f);
    }
}
