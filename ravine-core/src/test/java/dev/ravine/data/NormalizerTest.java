package dev.ravine.data;

import static dev.ravine.data.IdxReaderTest.assertContains;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ravine.data.Normalizer.Kind;
import dev.ravine.tensor.Rng;
import dev.ravine.tensor.Tensor;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NormalizerTest {
    /** n samples of shape [3]: feature f is normal with mean offset + 10f and std 1 + f, the last feature constant. */
    private static Dataset gaussian(int n, float offset, long seed) {
        Rng rng = new Rng(seed);
        float[] x = new float[n * 3];
        for (int i = 0; i < n; i++) {
            float a = (float) rng.nextGaussian();
            float b = (float) rng.nextGaussian();
            x[3 * i] = offset + a;
            x[3 * i + 1] = offset + 10 + 2 * b;
            x[3 * i + 2] = 7;
        }
        return Dataset.classification(x, new int[] {3}, new int[n], 1);
    }

    private static double[] meanAndStd(Dataset d, int feature) {
        double sum = 0, sq = 0;
        int stride = d.sampleSize();
        for (int i = 0; i < d.size(); i++) sum += d.features()[i * stride + feature];
        double mean = sum / d.size();
        for (int i = 0; i < d.size(); i++) {
            double dev = d.features()[i * stride + feature] - mean;
            sq += dev * dev;
        }
        return new double[] {mean, Math.sqrt(sq / d.size())};
    }

    @Test
    void standardizedTrainingDataHasMeanZeroAndStdOne() {
        Dataset train = gaussian(2000, 5, 1);
        Normalizer normalizer = Normalizer.fit(Kind.STANDARDIZE, train);
        Dataset out = normalizer.apply(train);
        for (int f = 0; f < 2; f++) {
            double[] ms = meanAndStd(out, f);
            assertEquals(0, ms[0], 1e-5, "mean of feature " + f);
            assertEquals(1, ms[1], 1e-4, "std of feature " + f);
        }
        assertEquals(1f, normalizer.scale()[2], "a constant feature gets scale 1, not 0");
        assertEquals(0, meanAndStd(out, 2)[0], 0, "and becomes 0, not NaN");
        assertArrayEquals(train.features(), gaussian(2000, 5, 1).features(), "apply must not modify its input");
    }

    @Test
    void validationDataUsesTheTrainingStatistics() {
        Dataset train = gaussian(2000, 0, 1);
        Dataset validation = gaussian(500, 3, 2); // shifted by 3 training stds on feature 0
        Normalizer normalizer = Normalizer.fit(Kind.STANDARDIZE, train);
        double validationMean = meanAndStd(normalizer.apply(validation), 0)[0];
        assertEquals(3, validationMean, 0.15, "the validation set was standardized with its own mean");
        assertNotEquals(0, validationMean, 1);
    }

    @Test
    void imagesAreStandardizedPerChannel() {
        // Two samples of shape [2, 1, 2]: channel 0 holds 0..3, channel 1 holds 100 and 300 twice.
        float[] x = {0, 1, 100, 300, 2, 3, 100, 300};
        Dataset images = Dataset.classification(x, new int[] {2, 1, 2}, new int[] {0, 0}, 1);
        Normalizer normalizer = Normalizer.fit(Kind.STANDARDIZE, images);
        assertArrayEquals(new float[] {1.5f, 200f}, normalizer.mean());
        assertEquals((float) Math.sqrt(1.25), normalizer.scale()[0], 1e-6f);
        assertEquals(100f, normalizer.scale()[1]);
        float[] y = normalizer.apply(images).features();
        assertEquals(-1f, y[2]);
        assertEquals(1f, y[7]);
    }

    @Test
    void scale01MapsTheTrainingRangeToZeroOne() {
        float[] pixels = {0, 51, 255, 102};
        Dataset d = Dataset.classification(pixels, new int[] {2}, new int[] {0, 0}, 1);
        Normalizer normalizer = Normalizer.fit(Kind.SCALE01, d);
        assertArrayEquals(new float[] {0f, 0.2f, 1f, 0.4f}, normalizer.apply(d).features(), 1e-7f);
        assertArrayEquals(new float[] {0}, normalizer.mean());
        assertArrayEquals(new float[] {255}, normalizer.scale());
    }

    @Test
    void noneIsTheIdentity() {
        Dataset d = gaussian(10, 0, 3);
        assertSame(d, Normalizer.fit(Kind.NONE, d).apply(d));
    }

    @Test
    void stateRoundTripsToTheSameTransform() {
        Dataset train = gaussian(100, 2, 4);
        Normalizer original = Normalizer.fit(Kind.STANDARDIZE, train);
        Map<String, float[]> state = original.state();
        Normalizer restored = Normalizer.fromState(state);
        assertEquals(Kind.STANDARDIZE, restored.kind());
        assertArrayEquals(original.apply(train).features(), restored.apply(train).features());
        state.remove("mean");
        assertContains(assertThrows(DataFormatException.class, () -> Normalizer.fromState(state)), "lacks 'mean'");
    }

    @Test
    void appliesToInferenceTensorsAndChecksTheirShape() {
        Dataset train = gaussian(100, 2, 4);
        Normalizer normalizer = Normalizer.fit(Kind.STANDARDIZE, train);
        Tensor batch = Tensor.of(java.util.Arrays.copyOf(train.features(), 6), 2, 3);
        float[] expected = java.util.Arrays.copyOf(normalizer.apply(train).features(), 6);
        assertArrayEquals(expected, normalizer.apply(batch).values());
        assertArrayEquals(new int[] {2, 3}, normalizer.apply(batch).shape());
        assertContains(assertThrows(DataFormatException.class, () -> normalizer.apply(Tensor.zeros(2, 4))),
                "[2, 4]", "sample shape [3]");
        Dataset other = Dataset.classification(new float[4], new int[] {4}, new int[] {0}, 1);
        assertContains(assertThrows(DataFormatException.class, () -> normalizer.apply(other)), "[3]", "[4]");
    }

    @Test
    void nonFiniteTrainingDataIsReported() {
        Dataset d = Dataset.classification(new float[] {1, Float.NaN}, new int[] {1}, new int[] {0, 0}, 1);
        assertContains(assertThrows(DataFormatException.class, () -> Normalizer.fit(Kind.STANDARDIZE, d)),
                "NaN", "DataChecks.requireFinite");
    }

    @Test
    void kindsParseByNameAndUnknownNamesListTheValidOnes() {
        assertEquals(Kind.SCALE01, Kind.parse("scale01"));
        assertEquals(Kind.STANDARDIZE, Kind.parse("Standardize"));
        assertEquals(Kind.NONE, Kind.parse("none"));
        assertContains(assertThrows(IllegalArgumentException.class, () -> Kind.parse("minmax")),
                "'minmax'", "none, scale01, standardize");
    }
}
