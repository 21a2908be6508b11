package dev.ravine.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class MaxPool2dKernelTest {

    private static final int X_OFF = 3;
    private static final int OUT_OFF = 2;

    record Geo(int n, int c, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw) {
        int outH() {
            return Im2Col.outSize(h, kh, sh, ph);
        }

        int outW() {
            return Im2Col.outSize(w, kw, sw, pw);
        }

        int xSize() {
            return n * c * h * w;
        }

        int outSize() {
            return n * c * outH() * outW();
        }
    }

    static Stream<Geo> geometries() {
        return Stream.of(
                new Geo(2, 3, 7, 7, 3, 3, 2, 2, 1, 1),
                new Geo(1, 2, 6, 5, 2, 3, 1, 2, 1, 1),
                new Geo(2, 1, 8, 8, 2, 2, 2, 2, 0, 0),
                new Geo(3, 2, 9, 6, 3, 2, 3, 1, 1, 1),
                new Geo(1, 1, 5, 5, 5, 5, 1, 1, 2, 2),
                new Geo(2, 2, 4, 6, 1, 1, 2, 3, 0, 0),
                // 2x2 / stride 2 planes whose window counts (196, 49, 12) are not whole vectors of windows
                new Geo(2, 3, 28, 28, 2, 2, 2, 2, 0, 0),
                new Geo(3, 5, 14, 14, 2, 2, 2, 2, 0, 0),
                new Geo(2, 3, 7, 9, 2, 2, 2, 2, 0, 0));
    }

    /**
     * The 2x2 window's fast path (a vector of windows at a time where the Vector API is in use) against the general
     * rule on inputs that stress it: ties, signed zeros (the value must be the winner's own, -0 or +0), infinities
     * whose sums are NaN, and NaNs scattered among ordinary values, in planes that end with a partial vector.
     */
    @Test
    void plainTwoByTwoMatchesTheGeneralRuleOnTiesZerosInfinitiesAndNaNs() {
        float[] special = {0f, -0f, 1f, -1f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN};
        Random rnd = new Random(13);
        // Planes more than half a vector of windows wide take the row-by-row paths: rows of one window more than
        // half a vector and of one fewer than a vector (masked loads, the last plane's last row ending the array),
        // exactly one vector a row, a row that ends with a partial vector (odd width, one column left out), and the
        // CNN's 28 x 28.
        int lanes = VectorMaxPool.lanes();
        Geo[] geometries = {new Geo(2, 4, 14, 14, 2, 2, 2, 2, 0, 0), new Geo(1, 3, 9, 11, 2, 2, 2, 2, 0, 0),
                new Geo(1, 2, 4, lanes + 2, 2, 2, 2, 2, 0, 0), new Geo(2, 3, 5, 2 * lanes - 2, 2, 2, 2, 2, 0, 0),
                new Geo(2, 2, 6, 2 * lanes, 2, 2, 2, 2, 0, 0), new Geo(1, 3, 7, 4 * lanes + 3, 2, 2, 2, 2, 0, 0),
                new Geo(2, 3, 28, 28, 2, 2, 2, 2, 0, 0)};
        for (Geo g : geometries) {
            float[] x = new float[X_OFF + g.xSize()];
            for (int i = X_OFF; i < x.length; i++) {
                // NaN in about 1 element of 60: most vectors of windows stay NaN-free, some do not
                x[i] = rnd.nextInt(60) == 0 ? Float.NaN : special[rnd.nextInt(special.length - 1)];
            }
            float[] out = new float[OUT_OFF + g.outSize()];
            int[] idx = new int[OUT_OFF + g.outSize()];
            MaxPool2dKernel.forward(x, X_OFF, g.n(), g.c(), g.h(), g.w(), 2, 2, 2, 2, 0, 0, out, OUT_OFF, idx, OUT_OFF);
            int o = 0;
            for (int plane = 0; plane < g.n() * g.c(); plane++) {
                for (int oy = 0; oy < g.outH(); oy++) {
                    for (int ox = 0; ox < g.outW(); ox++, o++) {
                        int expected = scanOrderArgMax(g, x, plane, oy, ox);
                        assertEquals(expected, idx[OUT_OFF + o], "index of output " + o + " of " + g);
                        assertEquals(Float.floatToRawIntBits(x[X_OFF + expected]), Float.floatToRawIntBits(out[OUT_OFF + o]),
                                "bits of output " + o + " of " + g);
                    }
                }
            }
        }
    }

    /** PyTorch's CPU rule written plainly: scan order, strictly greater replaces, a NaN always replaces. */
    private static int scanOrderArgMax(Geo g, float[] x, int plane, int oy, int ox) {
        float best = Float.NEGATIVE_INFINITY;
        int bestIndex = (plane * g.h() + oy * g.sh()) * g.w() + ox * g.sw();
        for (int ky = 0; ky < g.kh(); ky++) {
            for (int kx = 0; kx < g.kw(); kx++) {
                int index = (plane * g.h() + oy * g.sh() + ky) * g.w() + ox * g.sw() + kx;
                float v = x[X_OFF + index];
                if (v > best || Float.isNaN(v)) {
                    best = v;
                    bestIndex = index;
                }
            }
        }
        return bestIndex;
    }

    @ParameterizedTest
    @MethodSource("geometries")
    void matchesNaiveMaxPoolWithIndices(Geo g) {
        // Few distinct values, so ties inside windows are common and the tie rule is exercised.
        Random rnd = new Random(g.hashCode());
        float[] x = new float[X_OFF + g.xSize()];
        for (int i = X_OFF; i < x.length; i++) {
            x[i] = rnd.nextInt(5) - 2;
        }
        float[] out = new float[OUT_OFF + g.outSize()];
        int[] idx = new int[OUT_OFF + g.outSize()];
        MaxPool2dKernel.forward(x, X_OFF, g.n(), g.c(), g.h(), g.w(), g.kh(), g.kw(), g.sh(), g.sw(), g.ph(), g.pw(),
                out, OUT_OFF, idx, OUT_OFF);

        int o = 0;
        for (int plane = 0; plane < g.n() * g.c(); plane++) {
            for (int oy = 0; oy < g.outH(); oy++) {
                for (int ox = 0; ox < g.outW(); ox++, o++) {
                    int expected = naiveArgMax(g, x, plane, oy, ox);
                    assertEquals(expected, idx[OUT_OFF + o], "index of output " + o);
                    assertEquals(x[X_OFF + expected], out[OUT_OFF + o], "value of output " + o);
                }
            }
        }
    }

    @Test
    void resultsAreIdenticalForAnyThreadCount() {
        Geo g = new Geo(5, 3, 8, 8, 3, 3, 2, 2, 1, 1);
        Random rnd = new Random(9);
        float[] x = new float[X_OFF + g.xSize()];
        for (int i = X_OFF; i < x.length; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
        float[][] outs = new float[2][g.outSize()];
        int[][] idx = new int[2][g.outSize()];
        for (int t = 0; t < 2; t++) {
            int run = t;
            ComputePool.runWithThreads(1 + 2 * run, () -> MaxPool2dKernel.forward(x, X_OFF, g.n(), g.c(), g.h(),
                    g.w(), g.kh(), g.kw(), g.sh(), g.sw(), g.ph(), g.pw(), outs[run], 0, idx[run], 0));
        }
        assertArrayEquals(outs[0], outs[1]);
        assertArrayEquals(idx[0], idx[1]);
    }

    @Test
    void firstOfEqualMaximaWins() {
        float[] x = new float[16];
        Arrays.fill(x, 1f);
        float[] out = new float[4];
        int[] idx = new int[4];
        MaxPool2dKernel.forward(x, 0, 1, 1, 4, 4, 2, 2, 2, 2, 0, 0, out, 0, idx, 0);
        assertArrayEquals(new int[] {0, 2, 8, 10}, idx);
    }

    @Test
    void paddingNeverWinsEvenAgainstNegativeInputs() {
        float[] x = {-5, -4, -3, -2};
        float[] out = new float[4];
        int[] idx = new int[4];
        // 2x2 input, kernel 2, stride 1, padding 1: 3x3 output, corners see one real element each.
        float[] out9 = new float[9];
        int[] idx9 = new int[9];
        MaxPool2dKernel.forward(x, 0, 1, 1, 2, 2, 2, 2, 1, 1, 1, 1, out9, 0, idx9, 0);
        assertArrayEquals(new float[] {-5, -4, -4, -3, -2, -2, -3, -2, -2}, out9);
        assertArrayEquals(new int[] {0, 1, 1, 2, 3, 3, 2, 3, 3}, idx9);
        MaxPool2dKernel.forward(x, 0, 1, 1, 2, 2, 1, 1, 1, 1, 0, 0, out, 0, idx, 0);
        assertArrayEquals(x, out);
    }

    @Test
    void allNegativeInfinityWindowReportsItsFirstElement() {
        float[] x = new float[9];
        Arrays.fill(x, Float.NEGATIVE_INFINITY);
        float[] out = new float[4];
        int[] idx = new int[4];
        MaxPool2dKernel.forward(x, 0, 1, 1, 3, 3, 2, 2, 1, 1, 0, 0, out, 0, idx, 0);
        assertArrayEquals(new int[] {0, 1, 3, 4}, idx);
        assertEquals(Float.NEGATIVE_INFINITY, out[0]);
    }

    @Test
    void nanPropagatesAndIndexPointsAtIt() {
        // Window 0 has its NaN first (a later 9 must not replace it), window 3 has it last.
        float[] x = {
            Float.NaN, 9, 2, 3,
            4, 5, 5, 6,
            7, 8, 9, 1,
            2, 3, 4, Float.NaN};
        float[] out = new float[4];
        int[] idx = new int[4];
        MaxPool2dKernel.forward(x, 0, 1, 1, 4, 4, 2, 2, 2, 2, 0, 0, out, 0, idx, 0);
        assertTrue(Float.isNaN(out[0]));
        assertEquals(0, idx[0]);
        assertEquals(6f, out[1]);
        assertEquals(7, idx[1]);
        assertEquals(8f, out[2]);
        assertEquals(9, idx[2]);
        assertTrue(Float.isNaN(out[3]));
        assertEquals(15, idx[3]);
    }

    @Test
    void laterNanTakesOverLikePyTorchCpu() {
        float[] x = {Float.NaN, 1, Float.NaN, 2};
        float[] out = new float[1];
        int[] idx = new int[1];
        MaxPool2dKernel.forward(x, 0, 1, 1, 2, 2, 2, 2, 2, 2, 0, 0, out, 0, idx, 0);
        assertTrue(Float.isNaN(out[0]));
        assertEquals(2, idx[0]);
    }

    @Test
    void indicesAreRelativeToXOffAcrossSamplesAndChannels() {
        Geo g = new Geo(2, 2, 2, 2, 2, 2, 2, 2, 0, 0);
        float[] x = new float[X_OFF + g.xSize()];
        // Each 2x2 plane holds its maximum at a different corner.
        int[] corner = {3, 0, 2, 1};
        for (int p = 0; p < 4; p++) {
            x[X_OFF + p * 4 + corner[p]] = 1f;
        }
        float[] out = new float[4];
        int[] idx = new int[4];
        MaxPool2dKernel.forward(x, X_OFF, 2, 2, 2, 2, 2, 2, 2, 2, 0, 0, out, 0, idx, 0);
        assertArrayEquals(new int[] {3, 4, 10, 13}, idx);
    }

    @Test
    void scatterAddRoutesAndAccumulatesGradients() {
        // Overlapping windows (stride 1) share the central maximum, so its gradients add up.
        float[] x = {0, 0, 0, 0, 9, 0, 0, 0, 0};
        float[] out = new float[4];
        int[] idx = new int[4];
        MaxPool2dKernel.forward(x, 0, 1, 1, 3, 3, 2, 2, 1, 1, 0, 0, out, 0, idx, 0);
        float[] gradOut = {1, 2, 3, 4};
        float[] gradIn = new float[9];
        gradIn[0] = 0.5f;
        MaxPool2dKernel.scatterAdd(gradOut, idx, gradIn);
        assertArrayEquals(new float[] {0.5f, 0, 0, 0, 10, 0, 0, 0, 0}, gradIn);
    }

    @Test
    void scatterAddWithOffsets() {
        float[] gradOut = {7, 1, 2};
        int[] indices = {9, 0, 2};
        float[] gradIn = new float[5];
        MaxPool2dKernel.scatterAdd(gradOut, 1, indices, 1, 2, gradIn, 1);
        assertArrayEquals(new float[] {0, 1, 0, 2, 0}, gradIn);
        assertThrows(IllegalArgumentException.class,
                () -> MaxPool2dKernel.scatterAdd(new float[2], new int[3], gradIn));
    }

    @Test
    void indicesAreOptional() {
        float[] x = {1, 2, 3, 4};
        float[] out = new float[1];
        MaxPool2dKernel.forward(x, 0, 1, 1, 2, 2, 2, 2, 1, 1, 0, 0, out, 0, null, 0);
        assertEquals(4f, out[0]);
    }

    @Test
    void rejectsPaddingLargerThanHalfTheKernel() {
        var e = assertThrows(IllegalArgumentException.class, () -> MaxPool2dKernel.forward(
                new float[16], 0, 1, 1, 4, 4, 2, 2, 2, 2, 2, 0, new float[16], 0, null, 0));
        assertTrue(e.getMessage().contains("at most half the kernel"), e.getMessage());
    }

    /** Window scan in row-major order with padding as -inf; strict > keeps the first maximum. */
    @ParameterizedTest
    @MethodSource("geometries")
    void backwardHasTheBitsOfTheSequentialScatterOnAnyThreadCount(Geo g) {
        Random rnd = new Random(g.hashCode() + 1);
        float[] x = new float[g.xSize()];
        for (int i = 0; i < x.length; i++) x[i] = rnd.nextInt(3); // ties, and overlapping windows sharing a winner
        float[] out = new float[g.outSize()], gradOut = new float[g.outSize()];
        int[] idx = new int[g.outSize()];
        MaxPool2dKernel.forward(x, 0, g.n(), g.c(), g.h(), g.w(), g.kh(), g.kw(), g.sh(), g.sw(), g.ph(), g.pw(), out, 0, idx, 0);
        for (int i = 0; i < gradOut.length; i++) gradOut[i] = (float) rnd.nextGaussian();
        float[] expected = new float[g.xSize()];
        MaxPool2dKernel.scatterAdd(gradOut, idx, expected);
        int perSample = g.c() * g.outH() * g.outW(), sampleSize = g.c() * g.h() * g.w();
        for (int threads : new int[] {1, 3}) {
            float[] gradIn = new float[g.xSize()];
            Arrays.fill(gradIn, Float.NaN); // overwritten, never read
            ComputePool.runWithThreads(threads, () -> MaxPool2dKernel.backward(gradOut, idx, g.n(), perSample, sampleSize, gradIn));
            assertArrayEquals(expected, gradIn, threads + " threads");
        }
    }

    @Test
    void backwardRefusesAnIndexOutsideItsSample() {
        // Two samples of 4 inputs and 1 output each; sample 1's output points into sample 0.
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MaxPool2dKernel.backward(new float[] {1, 2}, new int[] {3, 2}, 2, 1, 4, new float[8]));
        assertTrue(e.getMessage().contains("outside sample 1"), e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> MaxPool2dKernel.backward(new float[2], new int[2], 2, 1, 4, new float[7]));
    }

    private static int naiveArgMax(Geo g, float[] x, int plane, int oy, int ox) {
        double best = Double.NEGATIVE_INFINITY;
        int bestIndex = -1;
        for (int ky = 0; ky < g.kh(); ky++) {
            for (int kx = 0; kx < g.kw(); kx++) {
                int iy = oy * g.sh() - g.ph() + ky;
                int ix = ox * g.sw() - g.pw() + kx;
                if (iy < 0 || iy >= g.h() || ix < 0 || ix >= g.w()) {
                    continue;
                }
                int index = (plane * g.h() + iy) * g.w() + ix;
                if (bestIndex < 0 || x[X_OFF + index] > best) {
                    best = x[X_OFF + index];
                    bestIndex = index;
                }
            }
        }
        return bestIndex;
    }
}
