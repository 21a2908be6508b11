package dev.ravine.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The shared vector operations against hand-computed values, and their length checks. */
class DenseVectorsTest {
    @Test
    void doubleOperations() {
        double[] a = {3, -4, 12}, b = {1, 2, 0.5};
        assertEquals(3 - 8 + 6, DenseVectors.dot(a, b), 0);
        assertEquals(13, DenseVectors.norm(a), 0);
        assertArrayEquals(new double[] {3 / 13.0, -4 / 13.0, 12 / 13.0}, DenseVectors.normalized(a), 1e-15);
        assertArrayEquals(new double[] {3, -4, 12}, a, 0, "normalized returns a new array");
        DenseVectors.addScaled(a, -2, b);
        assertArrayEquals(new double[] {1, -8, 11}, a, 0);
        // ||(1, -8, 11) - 2 (1, 2, 0.5)|| = ||(-1, -12, 10)||
        assertEquals(Math.sqrt(1 + 144 + 100), DenseVectors.residual(a, 2, b), 1e-12);
        var e = assertThrows(IllegalArgumentException.class, () -> DenseVectors.dot(a, new double[2]));
        assertTrue(e.getMessage().contains("3 and 2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DenseVectors.addScaled(a, 1, new double[4]));
    }

    @Test
    void floatSumsOfSquaresAccumulateInDouble() {
        // every length around the four-way unrolling, against a plain double loop
        for (int n = 0; n <= 9; n++) {
            float[] v = new float[n];
            double expected = 0;
            for (int i = 0; i < n; i++) {
                v[i] = 0.1f * (i + 1) * (i % 2 == 0 ? 1 : -1);
                expected += (double) v[i] * v[i];
            }
            assertEquals(expected, DenseVectors.sumOfSquares(v), 1e-15 * Math.max(1, expected), "n = " + n);
        }
        // 3e30^2 overflows float but not double
        assertEquals((double) 3e30f * Math.sqrt(2), DenseVectors.norm(new float[] {3e30f, 3e30f}), 1e-15 * 3e30 * Math.sqrt(2));
        assertTrue(Double.isNaN(DenseVectors.sumOfSquares(new float[] {1, Float.NaN, 2})));
        assertEquals(Double.POSITIVE_INFINITY, DenseVectors.sumOfSquares(new float[] {1, Float.NEGATIVE_INFINITY}));
    }
}
