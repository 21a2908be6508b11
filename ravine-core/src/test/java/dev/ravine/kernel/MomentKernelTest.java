package dev.ravine.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Both bodies of MomentKernel against the definitions, summed in order in double, on ranges that end mid-vector. */
class MomentKernelTest {
    private static float[] values(int n, long seed) {
        Random r = new Random(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) (r.nextGaussian() * 3 - 0.5);
        return a;
    }

    private static double[] reference(float[] a, int from, int to) {
        double sum = 0, sumSq = 0;
        for (int i = from; i < to; i++) {
            sum += a[i];
            sumSq += (double) a[i] * a[i];
        }
        return new double[] {sum, sumSq};
    }

    private static boolean[] referenceActive(float[] a, int from, int to, int units) {
        boolean[] active = new boolean[units];
        for (int i = from; i < to; i++) if (a[i] > 0) active[(i - from) % units] = true;
        return active;
    }

    @Test
    void sumsOfSquaresMatchTheDefinitionOnEveryRangeShape() {
        float[] a = values(5000, 1);
        int[][] ranges = {{0, 0}, {0, 1}, {3, 10}, {0, 4096}, {5, 4101}, {7, 5000}, {1, 4999}, {100, 163}};
        for (int[] r : ranges) {
            double expected = reference(a, r[0], r[1])[1];
            double tolerance = 1e-12 * Math.max(1, expected);
            assertEquals(expected, MomentKernel.scalarSumOfSquares(a, r[0], r[1]), tolerance, "scalar " + r[0] + ".." + r[1]);
            assertEquals(expected, VectorMoments.sumOfSquares(a, r[0], r[1]), tolerance, "vector " + r[0] + ".." + r[1]);
            assertEquals(expected, MomentKernel.sumOfSquares(a, r[0], r[1]), tolerance, "chosen " + r[0] + ".." + r[1]);
        }
    }

    @Test
    void sumsAndActiveUnitsMatchTheDefinitionForAnyRowWidth() {
        float[] a = values(6000, 2);
        for (int units : new int[] {1, 3, 7, 8, 16, 33, 100, 512}) {
            int rows = 5000 / units, from = 11, to = from + rows * units;
            double[] expected = reference(a, from, to);
            boolean[] expectedActive = referenceActive(a, from, to, units);
            double[] scalar = new double[2], vector = new double[2];
            boolean[] scalarActive = new boolean[units], vectorActive = new boolean[units];
            MomentKernel.scalarSums(a, from, to, scalarActive, scalar);
            VectorMoments.sums(a, from, to, vectorActive, vector);
            for (double[] got : new double[][] {scalar, vector}) {
                assertEquals(expected[0], got[0], 1e-12 * Math.max(1, Math.abs(expected[1])), "sum, rows of " + units);
                assertEquals(expected[1], got[1], 1e-12 * expected[1], "sum of squares, rows of " + units);
            }
            assertArrayEquals(expectedActive, scalarActive, "scalar active units, rows of " + units);
            assertArrayEquals(expectedActive, vectorActive, "vector active units, rows of " + units);
        }
    }

    @Test
    void activeUnitsAreOnlyEverSetAndAUnitNeverPositiveStaysInactive() {
        int units = 40, rows = 6;
        float[] a = values(units * rows, 3);
        for (int r = 0; r < rows; r++) {
            a[r * units + 9] = -1f; // unit 9 never positive
            a[r * units + 31] = r == rows - 1 ? 2f : 0f; // unit 31 positive in the last row only
        }
        boolean[] active = new boolean[units];
        active[9] = true; // set by an earlier batch: stays set
        MomentKernel.sums(a, 0, a.length, active, new double[2]);
        assertTrue(active[9]);
        assertTrue(active[31]);
        boolean[] fresh = new boolean[units];
        VectorMoments.sums(a, 0, a.length, fresh, new double[2]);
        assertEquals(false, fresh[9]);
        assertTrue(fresh[31]);
    }

    @Test
    void aValueThatIsNotFiniteMakesTheSumsNotFinite() {
        for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
            for (int at : new int[] {0, 17, 999}) { // in the vector body and in the tail
                float[] a = values(1000, 4);
                a[at] = bad;
                double[] scalar = new double[2], vector = new double[2];
                MomentKernel.scalarSums(a, 0, a.length, null, scalar);
                VectorMoments.sums(a, 0, a.length, null, vector);
                assertTrue(!Double.isFinite(MomentKernel.scalarSumOfSquares(a, 0, a.length)), bad + " at " + at);
                assertTrue(!Double.isFinite(VectorMoments.sumOfSquares(a, 0, a.length)), bad + " at " + at);
                assertTrue(!Double.isFinite(scalar[1]) && !Double.isFinite(vector[1]), bad + " at " + at);
            }
        }
    }

    @Test
    void aRangeThatIsNotWholeRowsIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MomentKernel.sums(new float[10], 0, 10, new boolean[3], new double[2]));
        assertTrue(e.getMessage().contains("rows of 3"), e.getMessage());
    }
}
