package dev.ravine.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class CrossEntropyKernelTest {

    private static final int OFF = 2;

    @Test
    void lossMatchesNegativeLogSoftmaxOfTargetInDouble() {
        int rows = 9;
        int cols = 7;
        Random rnd = new Random(10);
        float[] logits = SoftmaxKernelTest.randomLogits(rnd, OFF + rows * cols, 6.0);
        int[] targets = randomTargets(rnd, OFF + rows, cols);
        float[] losses = new float[OFF + rows];
        float[] probs = new float[OFF + rows * cols];
        double total = CrossEntropyKernel.forward(logits, OFF, rows, cols, targets, OFF, losses, OFF, probs, OFF);

        double expectedTotal = 0;
        for (int r = 0; r < rows; r++) {
            double[] p = SoftmaxKernelTest.referenceSoftmax(logits, OFF + r * cols, cols);
            double expected = -Math.log(p[targets[OFF + r]]);
            expectedTotal += expected;
            assertEquals(expected, losses[OFF + r], 1e-6 * Math.max(1.0, expected), "row " + r);
            for (int j = 0; j < cols; j++) {
                assertEquals(p[j], probs[OFF + r * cols + j], 1e-7 + 1e-6 * p[j]);
            }
        }
        assertEquals(expectedTotal, total, 1e-9 * Math.max(1.0, expectedTotal));
    }

    @Test
    void probabilitiesAreOptionalAndDoNotChangeTheLoss() {
        Random rnd = new Random(11);
        float[] logits = SoftmaxKernelTest.randomLogits(rnd, 30, 4.0);
        int[] targets = randomTargets(rnd, 5, 6);
        float[] withProbs = new float[5];
        float[] without = new float[5];
        double a = CrossEntropyKernel.forward(logits, 0, 5, 6, targets, 0, withProbs, 0, new float[30], 0);
        double b = CrossEntropyKernel.forward(logits, 0, 5, 6, targets, 0, without, 0, null, 0);
        assertArrayEquals(withProbs, without, 1e-6f);
        assertEquals(a, b, 1e-6);

        float[] probs = new float[30];
        CrossEntropyKernel.forward(logits, 0, 5, 6, targets, 0, new float[5], 0, probs, 0);
        float[] inPlaceLosses = new float[5];
        CrossEntropyKernel.forward(logits, 0, 5, 6, targets, 0, inPlaceLosses, 0, logits, 0);
        assertArrayEquals(withProbs, inPlaceLosses);
        assertArrayEquals(probs, logits);
    }

    @Test
    void stableForHugeLogits() {
        float[] logits = {1e4f, -1e4f, 0f, -1e4f, 1e4f, 1e4f};
        int[] targets = {1, 2};
        float[] losses = new float[2];
        CrossEntropyKernel.forward(logits, 0, 2, 3, targets, 0, losses, 0, null, 0);
        assertEquals(2e4f, losses[0], 1e-2f);
        // Row 1 ties two huge logits: the target gets half the mass.
        assertEquals((float) Math.log(2), losses[1], 1e-6f);
        assertTrue(Float.isFinite(losses[0]) && Float.isFinite(losses[1]));
    }

    @Test
    void nonFiniteLogitsGiveNanLikePyTorch() {
        float[] logits = {Float.NaN, 0f, Float.POSITIVE_INFINITY, 0f};
        float[] losses = new float[2];
        CrossEntropyKernel.forward(logits, 0, 2, 2, new int[] {1, 1}, 0, losses, 0, null, 0);
        assertTrue(Float.isNaN(losses[0]));
        assertTrue(Float.isNaN(losses[1]));
    }

    @Test
    void backwardIsScaledSoftmaxMinusOneHot() {
        Random rnd = new Random(12);
        int rows = 4;
        int cols = 5;
        float[] logits = SoftmaxKernelTest.randomLogits(rnd, rows * cols, 2.0);
        int[] targets = randomTargets(rnd, rows, cols);
        float[] probs = new float[rows * cols];
        CrossEntropyKernel.forward(logits, 0, rows, cols, targets, 0, new float[rows], 0, probs, 0);
        float scale = 0.25f;
        float[] grad = new float[OFF + rows * cols];
        CrossEntropyKernel.backward(probs, 0, rows, cols, targets, 0, scale, grad, OFF);
        for (int r = 0; r < rows; r++) {
            double rowSum = 0;
            for (int j = 0; j < cols; j++) {
                float expected = (probs[r * cols + j] - (j == targets[r] ? 1f : 0f)) * scale;
                assertEquals(expected, grad[OFF + r * cols + j]);
                rowSum += grad[OFF + r * cols + j];
            }
            assertEquals(0.0, rowSum, 1e-6, "gradient rows sum to zero");
        }
        // In place over the probabilities gives the same gradient.
        CrossEntropyKernel.backward(probs, 0, rows, cols, targets, 0, scale, probs, 0);
        assertArrayEquals(java.util.Arrays.copyOfRange(grad, OFF, grad.length), probs);
    }

    @Test
    void backwardMatchesFiniteDifferenceOfForward() {
        float[] logits = {0.3f, -1.2f, 2.0f, 0.5f};
        int[] targets = {2};
        float[] probs = new float[4];
        CrossEntropyKernel.forward(logits, 0, 1, 4, targets, 0, new float[1], 0, probs, 0);
        float[] grad = new float[4];
        CrossEntropyKernel.backward(probs, 0, 1, 4, targets, 0, 1f, grad, 0);
        for (int j = 0; j < 4; j++) {
            double h = 1e-2;
            double up = lossAt(logits, targets, j, h);
            double down = lossAt(logits, targets, j, -h);
            assertEquals((up - down) / (2 * h), grad[j], 1e-3, "logit " + j);
        }
    }

    @Test
    void badTargetNamesRowValueAndClassCount() {
        float[] logits = new float[3 * 5];
        float[] losses = new float[3];
        var e = assertThrows(IllegalArgumentException.class, () -> CrossEntropyKernel.forward(
                logits, 0, 3, 5, new int[] {0, 4, 7}, 0, losses, 0, null, 0));
        assertTrue(e.getMessage().contains("target 7"), e.getMessage());
        assertTrue(e.getMessage().contains("row 2"), e.getMessage());
        assertTrue(e.getMessage().contains("5 classes"), e.getMessage());

        var negative = assertThrows(IllegalArgumentException.class, () -> CrossEntropyKernel.backward(
                logits, 0, 3, 5, new int[] {-1, 0, 0}, 0, 1f, new float[15], 0));
        assertTrue(negative.getMessage().contains("target -1 at row 0"), negative.getMessage());
    }

    private static double lossAt(float[] logits, int[] targets, int j, double delta) {
        float[] shifted = logits.clone();
        shifted[j] = (float) (shifted[j] + delta);
        return CrossEntropyKernel.forward(shifted, 0, 1, shifted.length, targets, 0, new float[1], 0, null, 0);
    }

    private static int[] randomTargets(Random rnd, int len, int classes) {
        int[] t = new int[len];
        for (int i = 0; i < len; i++) {
            t[i] = rnd.nextInt(classes);
        }
        return t;
    }
}
