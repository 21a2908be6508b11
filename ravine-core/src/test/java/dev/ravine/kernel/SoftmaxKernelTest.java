package dev.ravine.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SoftmaxKernelTest {

    private static final int OFF = 3;

    @Test
    void softmaxRowsSumToOneAndMatchDoubleReference() {
        int rows = 7;
        int cols = 13;
        float[] x = randomLogits(new Random(1), OFF + rows * cols, 5.0);
        float[] p = new float[OFF + rows * cols];
        SoftmaxKernel.softmax(x, OFF, rows, cols, p, OFF);
        for (int r = 0; r < rows; r++) {
            double[] ref = referenceSoftmax(x, OFF + r * cols, cols);
            double sum = 0;
            for (int j = 0; j < cols; j++) {
                float v = p[OFF + r * cols + j];
                assertEquals(ref[j], v, 1e-7 + 1e-6 * ref[j]);
                sum += v;
            }
            assertEquals(1.0, sum, 1e-6, "row " + r);
        }
    }

    @Test
    void logSoftmaxMatchesDoubleReference() {
        int rows = 5;
        int cols = 11;
        float[] x = randomLogits(new Random(2), OFF + rows * cols, 20.0);
        float[] out = new float[OFF + rows * cols];
        SoftmaxKernel.logSoftmax(x, OFF, rows, cols, out, OFF);
        for (int r = 0; r < rows; r++) {
            double lse = referenceLogSumExp(x, OFF + r * cols, cols);
            for (int j = 0; j < cols; j++) {
                double expected = x[OFF + r * cols + j] - lse;
                assertEquals(expected, out[OFF + r * cols + j], 1e-6 * Math.max(1.0, Math.abs(expected)));
            }
        }
    }

    @Test
    void logSoftmaxIsStableForHugeLogits() {
        float[] x = {1e4f, 0f, -1e4f, 1e4f, -1e4f, -1e4f};
        float[] out = new float[6];
        SoftmaxKernel.logSoftmax(x, 0, 2, 3, out, 0);
        for (float v : out) {
            assertTrue(Float.isFinite(v), "non-finite " + v);
        }
        // Row 0: the two small entries are negligible next to exp(1e4).
        assertEquals(0f, out[0], 0f);
        assertEquals(-1e4f, out[1], 1e-3f);
        assertEquals(-2e4f, out[2], 1e-3f);
        // Row 1: one dominant entry, two ties far below it.
        assertEquals(0f, out[3], 0f);
        assertEquals(-2e4f, out[4], 1e-3f);
        assertEquals(-2e4f, out[5], 1e-3f);

        float[] p = new float[6];
        SoftmaxKernel.softmax(x, 0, 2, 3, p, 0);
        assertArrayEquals(new float[] {1, 0, 0, 1, 0, 0}, p);
    }

    @Test
    void allEqualHugeNegativeRowIsUniform() {
        float[] x = {-1e4f, -1e4f, -1e4f, -1e4f};
        float[] out = new float[4];
        SoftmaxKernel.logSoftmax(x, 0, 1, 4, out, 0);
        for (float v : out) {
            assertEquals((float) -Math.log(4), v, 1e-6f);
        }
        float[] lse = new float[1];
        SoftmaxKernel.logSumExp(x, 0, 1, 4, lse, 0);
        assertEquals((float) (-1e4 + Math.log(4)), lse[0], 1e-3f);
    }

    @Test
    void logSumExpMatchesDoubleReference() {
        int rows = 6;
        int cols = 9;
        float[] x = randomLogits(new Random(3), OFF + rows * cols, 30.0);
        float[] out = new float[OFF + rows];
        SoftmaxKernel.logSumExp(x, OFF, rows, cols, out, OFF);
        for (int r = 0; r < rows; r++) {
            double expected = referenceLogSumExp(x, OFF + r * cols, cols);
            assertEquals(expected, out[OFF + r], 1e-6 * Math.max(1.0, Math.abs(expected)));
        }
    }

    @Test
    void nanAndInfinityFollowPyTorch() {
        float inf = Float.POSITIVE_INFINITY;
        float[] x = {
            1f, Float.NaN, 2f,   // NaN row
            inf, 1f, 2f,         // +inf row
            -inf, -inf, -inf,    // all -inf row
            -inf, 0f, 0f};       // a masked entry: fine
        float[] sm = new float[12];
        float[] lsm = new float[12];
        float[] lse = new float[4];
        SoftmaxKernel.softmax(x, 0, 4, 3, sm, 0);
        SoftmaxKernel.logSoftmax(x, 0, 4, 3, lsm, 0);
        SoftmaxKernel.logSumExp(x, 0, 4, 3, lse, 0);
        for (int i = 0; i < 9; i++) {
            assertTrue(Float.isNaN(sm[i]), "softmax " + i);
            assertTrue(Float.isNaN(lsm[i]), "logSoftmax " + i);
        }
        assertArrayEquals(new float[] {0f, 0.5f, 0.5f}, java.util.Arrays.copyOfRange(sm, 9, 12));
        assertArrayEquals(new float[] {Float.NEGATIVE_INFINITY, (float) -Math.log(2), (float) -Math.log(2)},
                java.util.Arrays.copyOfRange(lsm, 9, 12));
        // torch.logsumexp: NaN stays NaN, +inf gives +inf, all -inf gives -inf.
        assertTrue(Float.isNaN(lse[0]));
        assertEquals(inf, lse[1]);
        assertEquals(-inf, lse[2]);
        assertEquals((float) Math.log(2), lse[3], 1e-7f);
    }

    @Test
    void inPlaceGivesTheSameResult() {
        float[] x = randomLogits(new Random(4), 40, 3.0);
        float[] expected = new float[40];
        SoftmaxKernel.logSoftmax(x, 0, 4, 10, expected, 0);
        SoftmaxKernel.logSoftmax(x, 0, 4, 10, x, 0);
        assertArrayEquals(expected, x);
        float[] y = randomLogits(new Random(5), 40, 3.0);
        SoftmaxKernel.softmax(y, 0, 4, 10, expected, 0);
        SoftmaxKernel.softmax(y, 0, 4, 10, y, 0);
        assertArrayEquals(expected, y);
    }

    @Test
    void largeBatchIsBitIdenticalForAnyThreadCount() {
        int rows = 512;
        int cols = 100; // 51,200 elements: several parallel chunks
        float[] x = randomLogits(new Random(6), rows * cols, 8.0);
        float[] oneThread = new float[rows * cols];
        float[] threeThreads = new float[rows * cols];
        float[] rowByRow = new float[rows * cols];
        ComputePool.runWithThreads(1, () -> SoftmaxKernel.logSoftmax(x, 0, rows, cols, oneThread, 0));
        ComputePool.runWithThreads(3, () -> SoftmaxKernel.logSoftmax(x, 0, rows, cols, threeThreads, 0));
        for (int r = 0; r < rows; r++) {
            SoftmaxKernel.logSoftmax(x, r * cols, 1, cols, rowByRow, r * cols);
        }
        assertArrayEquals(oneThread, threeThreads);
        assertArrayEquals(oneThread, rowByRow);
    }

    static float[] randomLogits(Random rnd, int len, double scale) {
        float[] a = new float[len];
        for (int i = 0; i < len; i++) {
            a[i] = (float) (rnd.nextGaussian() * scale);
        }
        return a;
    }

    static double referenceLogSumExp(float[] x, int start, int cols) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < cols; j++) {
            max = Math.max(max, x[start + j]);
        }
        double sum = 0;
        for (int j = 0; j < cols; j++) {
            sum += Math.exp(x[start + j] - max);
        }
        return max + Math.log(sum);
    }

    static double[] referenceSoftmax(float[] x, int start, int cols) {
        double lse = referenceLogSumExp(x, start, cols);
        double[] p = new double[cols];
        for (int j = 0; j < cols; j++) {
            p[j] = Math.exp(x[start + j] - lse);
        }
        return p;
    }
}
