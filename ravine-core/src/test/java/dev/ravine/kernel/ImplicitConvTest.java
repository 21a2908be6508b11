package dev.ravine.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The implicit-GEMM convolution against im2col: the forward pass to the bit (same blocking, same micro-kernel as
 * im2col followed by {@link Gemm}), both gradients against their definitions in double within the a priori bound of
 * float summation, and every result independent of the thread count.
 */
class ImplicitConvTest {
    /** n, c, h, w, o, kh, kw, strideH, strideW, padH, padW. */
    private static final int[][] GEOMETRIES = {
            {128, 1, 28, 28, 32, 3, 3, 1, 1, 1, 1},  // the CNN's first layer: K = 9, 784 positions (two column blocks)
            {9, 32, 14, 14, 64, 3, 3, 1, 1, 1, 1},   // its second layer, 9 samples (two weight-gradient chunks)
            {1, 3, 7, 9, 5, 3, 3, 1, 1, 1, 1},       // batch 1, odd sizes, 5 outputs (a partial row block)
            {3, 2, 9, 8, 4, 3, 2, 1, 1, 0, 1},       // unequal kernel axes and padding
            {2, 3, 11, 10, 6, 3, 3, 2, 2, 1, 1},     // stride 2
            {2, 2, 10, 9, 3, 2, 3, 2, 1, 1, 0},      // unequal strides
            {3, 4, 6, 6, 7, 1, 1, 1, 1, 0, 0},       // 1 x 1
            {2, 3, 5, 5, 2, 5, 5, 1, 1, 4, 4},       // padding of k - 1 (the adjoint's own padding is 0)
            {2, 61, 5, 6, 9, 3, 3, 1, 1, 1, 1},      // K = 549 > KC: two depth blocks
            {2, 1, 31, 30, 3, 3, 3, 1, 1, 1, 0},     // 899 positions > NC, more than one NC block per tile
            {17, 2, 4, 4, 3, 3, 3, 1, 1, 0, 0},      // 2 x 2 outputs, three chunks, the last partial
            {11, 1, 9, 7, 40, 3, 3, 1, 1, 1, 1},     // K = 9, 40 outputs: the transposed weight gradient, a partial sliver
    };
    private static final int[] TRANSPOSED = GEOMETRIES[11];

    @BeforeEach
    void needsTheVectorGemm() {
        assumeTrue(ImplicitConv.available(), "the implicit convolution runs on the Vector API GEMM only");
    }

    @Test
    void forwardHasTheBitsOfIm2colAndGemm() {
        Random random = new Random(1);
        for (int[] g : GEOMETRIES) {
            Case k = new Case(g, random);
            float[] expected = new float[k.outputSize()];
            float[] cols = new float[(int) Im2Col.colsSize(k.n, k.c, k.h, k.w, k.kh, k.kw, k.sh, k.sw, k.ph, k.pw)];
            Im2Col.im2col(k.x, 0, k.n, k.c, k.h, k.w, k.kh, k.kw, k.sh, k.sw, k.ph, k.pw, cols, 0);
            int taps = k.c * k.kh * k.kw, p = k.outH * k.outW;
            Gemm.gemmBatched(k.n, false, false, k.o, p, taps, 1f, k.weight, 0, taps, 0, cols, 0, p, taps * p,
                    0f, expected, 0, p, k.o * p);
            for (int s = 0; s < k.n; s++) {
                for (int oc = 0; oc < k.o; oc++) {
                    for (int q = 0; q < p; q++) expected[(s * k.o + oc) * p + q] += k.bias[oc];
                }
            }
            assertArrayEquals(expected, k.forward(), k.name());
        }
    }

    @Test
    void reluInTheOutputPassHasTheBitsOfAReluAfterIt() {
        Random random = new Random(7);
        for (int[] g : GEOMETRIES) {
            Case k = new Case(g, random);
            for (float[] bias : new float[][] {k.bias, null}) {
                float[] expected = new float[k.outputSize()];
                ImplicitConv.forward(k.x, k.n, k.c, k.h, k.w, k.kh, k.kw, k.sh, k.sw, k.ph, k.pw, k.weight, k.o, bias, expected);
                ReluKernel.forward(expected, expected, 0, expected.length);
                float[] fused = new float[k.outputSize()];
                java.util.Arrays.fill(fused, Float.NaN); // overwritten, never read
                ImplicitConv.forward(k.x, k.n, k.c, k.h, k.w, k.kh, k.kw, k.sh, k.sw, k.ph, k.pw, k.weight, k.o, bias, true, fused);
                assertArrayEquals(expected, fused, k.name() + (bias == null ? ", no bias" : ", bias"));
            }
        }
    }

    @Test
    void weightAndBiasGradientsAreWithinTheSummationBoundOfTheirDefinitions() {
        Random random = new Random(2);
        for (int[] g : GEOMETRIES) {
            Case k = new Case(g, random);
            float[] gw = new float[k.o * k.c * k.kh * k.kw];
            java.util.Arrays.fill(gw, Float.NaN); // overwritten, never read
            float[] gb = new float[k.o];
            java.util.Arrays.fill(gb, Float.NaN);
            ImplicitConv.weightGradient(k.grad, k.x, k.n, k.c, k.h, k.w, k.kh, k.kw, k.sh, k.sw, k.ph, k.pw, k.o, gw, gb);
            double[][] exact = k.weightGradientInDouble();
            for (int i = 0; i < gw.length; i++) assertWithinBound(exact[i], gw[i], k.name() + " dW[" + i + "]");
            double[][] exactBias = k.biasGradientInDouble();
            for (int i = 0; i < gb.length; i++) assertWithinBound(exactBias[i], gb[i], k.name() + " db[" + i + "]");
            float[] alone = new float[gw.length];
            ImplicitConv.weightGradient(k.grad, k.x, k.n, k.c, k.h, k.w, k.kh, k.kw, k.sh, k.sw, k.ph, k.pw, k.o, alone, null);
            assertArrayEquals(gw, alone, k.name() + ": the weight gradient without the bias's");
        }
    }

    @Test
    void inputGradientIsWithinTheSummationBoundOfItsDefinition() {
        Random random = new Random(3);
        for (int[] g : GEOMETRIES) {
            Case k = new Case(g, random);
            if (!ImplicitConv.hasInputGradient(k.kh, k.kw, k.sh, k.sw, k.ph, k.pw)) continue;
            float[] gx = new float[k.x.length];
            java.util.Arrays.fill(gx, Float.NaN);
            ImplicitConv.inputGradient(k.grad, k.weight, k.n, k.c, k.h, k.w, k.kh, k.kw, k.sh, k.sw, k.ph, k.pw, k.o, gx);
            double[][] exact = k.inputGradientInDouble();
            for (int i = 0; i < gx.length; i++) assertWithinBound(exact[i], gx[i], k.name() + " dx[" + i + "]");
        }
    }

    @Test
    void resultsDoNotDependOnTheThreadCount() {
        Random random = new Random(4);
        for (int[] g : new int[][] {GEOMETRIES[1], GEOMETRIES[2], GEOMETRIES[9], GEOMETRIES[10], TRANSPOSED}) {
            Case k = new Case(g, random);
            float[][] one = new float[4][], three = new float[4][];
            ComputePool.runWithThreads(1, () -> run(k, one));
            ComputePool.runWithThreads(3, () -> run(k, three));
            for (int i = 0; i < 4; i++) assertArrayEquals(one[i], three[i], k.name() + " result " + i);
        }
    }

    @Test
    void fewTapsTakeTheTransposedWeightGradientAndManyDoNot() {
        MicroKernel micro = ImplicitConv.micro();
        assertTrue(ImplicitConv.transposesWeightGradient(micro, TRANSPOSED[1] * TRANSPOSED[5] * TRANSPOSED[6], TRANSPOSED[4]));
        assertTrue(ImplicitConv.transposesWeightGradient(micro, 9, 32), "the CNN's first layer");
        assertFalse(ImplicitConv.transposesWeightGradient(micro, 288, 64), "the CNN's second layer");
    }

    @Test
    void inputGradientNeedsStrideOneAndPaddingBelowTheKernel() {
        assertTrue(ImplicitConv.hasInputGradient(3, 3, 1, 1, 2, 0));
        assertFalse(ImplicitConv.hasInputGradient(3, 3, 2, 1, 1, 1));
        assertFalse(ImplicitConv.hasInputGradient(3, 3, 1, 1, 3, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ImplicitConv.inputGradient(
                new float[2 * 2 * 5 * 5], new float[2 * 2 * 9], 2, 2, 9, 9, 3, 3, 2, 2, 1, 1, 2, new float[2 * 2 * 81]));
        assertTrue(e.getMessage().contains("stride 1"), e.getMessage());
    }

    @Test
    void shortArraysAreRejectedBeforeAnyWork() {
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> ImplicitConv.forward(
                new float[2 * 3 * 4 * 4], 2, 3, 4, 4, 3, 3, 1, 1, 1, 1, new float[5 * 27], 5, null, new float[10]));
        assertTrue(e.getMessage().contains("out has 10 elements"), e.getMessage());
    }

    private static void run(Case k, float[][] into) {
        into[0] = k.forward();
        into[1] = new float[k.o * k.c * k.kh * k.kw];
        into[3] = new float[k.o];
        ImplicitConv.weightGradient(k.grad, k.x, k.n, k.c, k.h, k.w, k.kh, k.kw, k.sh, k.sw, k.ph, k.pw, k.o, into[1], into[3]);
        into[2] = new float[k.x.length];
        ImplicitConv.inputGradient(k.grad, k.weight, k.n, k.c, k.h, k.w, k.kh, k.kw, k.sh, k.sw, k.ph, k.pw, k.o, into[2]);
    }

    /**
     * |float sum - exact| <= terms * 2^-24 * sum |terms| (Higham, 4.2), plus the one rounding of the result; a
     * float sum of terms that are themselves rounded products adds one more unit per term.
     */
    private static void assertWithinBound(double[] exact, float actual, String what) {
        double bound = (exact[2] + 2) * 0x1p-24 * exact[1] + Math.ulp((float) exact[0]);
        assertEquals(exact[0], actual, bound, what);
    }

    /** One random convolution: input, weight, bias and an output gradient. */
    private static final class Case {
        final int n, c, h, w, o, kh, kw, sh, sw, ph, pw, outH, outW;
        final float[] x, weight, bias, grad;

        Case(int[] g, Random random) {
            n = g[0]; c = g[1]; h = g[2]; w = g[3]; o = g[4]; kh = g[5]; kw = g[6]; sh = g[7]; sw = g[8]; ph = g[9]; pw = g[10];
            outH = Im2Col.outSize(h, kh, sh, ph);
            outW = Im2Col.outSize(w, kw, sw, pw);
            x = gaussian(random, n * c * h * w);
            weight = gaussian(random, o * c * kh * kw);
            bias = gaussian(random, o);
            grad = gaussian(random, outputSize());
        }

        int outputSize() {
            return n * o * outH * outW;
        }

        String name() {
            return "n " + n + ", c " + c + ", " + h + "x" + w + ", o " + o + ", kernel " + kh + "x" + kw + ", stride "
                    + sh + "," + sw + ", pad " + ph + "," + pw;
        }

        float[] forward() {
            float[] out = new float[outputSize()];
            java.util.Arrays.fill(out, Float.NaN); // overwritten, never read
            ImplicitConv.forward(x, n, c, h, w, kh, kw, sh, sw, ph, pw, weight, o, bias, out);
            return out;
        }

        /** {value, sum of |terms|, number of terms} per weight, by the definition of the weight gradient. */
        double[][] weightGradientInDouble() {
            double[][] out = new double[o * c * kh * kw][];
            for (int oc = 0; oc < o; oc++) for (int ci = 0; ci < c; ci++) for (int ky = 0; ky < kh; ky++) for (int kx = 0; kx < kw; kx++) {
                double sum = 0, magnitude = 0;
                for (int s = 0; s < n; s++) for (int oy = 0; oy < outH; oy++) for (int ox = 0; ox < outW; ox++) {
                    int iy = oy * sh - ph + ky, ix = ox * sw - pw + kx;
                    if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
                    double term = (double) grad[((s * o + oc) * outH + oy) * outW + ox] * x[((s * c + ci) * h + iy) * w + ix];
                    sum += term;
                    magnitude += Math.abs(term);
                }
                out[((oc * c + ci) * kh + ky) * kw + kx] = new double[] {sum, magnitude, n * outH * outW};
            }
            return out;
        }

        /** {value, sum of |terms|, number of terms} per output channel: the sum of its gradient. */
        double[][] biasGradientInDouble() {
            int positions = outH * outW;
            double[][] out = new double[o][];
            for (int oc = 0; oc < o; oc++) {
                double sum = 0, magnitude = 0;
                for (int s = 0; s < n; s++) {
                    for (int q = 0; q < positions; q++) {
                        double term = grad[(s * o + oc) * positions + q];
                        sum += term;
                        magnitude += Math.abs(term);
                    }
                }
                out[oc] = new double[] {sum, magnitude, n * positions};
            }
            return out;
        }

        /** {value, sum of |terms|, number of terms} per input element, by the definition of the input gradient. */
        double[][] inputGradientInDouble() {
            double[][] out = new double[x.length][];
            for (int i = 0; i < x.length; i++) out[i] = new double[] {0, 0, o * kh * kw};
            for (int s = 0; s < n; s++) for (int oc = 0; oc < o; oc++) for (int oy = 0; oy < outH; oy++) for (int ox = 0; ox < outW; ox++) {
                double gv = grad[((s * o + oc) * outH + oy) * outW + ox];
                for (int ci = 0; ci < c; ci++) for (int ky = 0; ky < kh; ky++) for (int kx = 0; kx < kw; kx++) {
                    int iy = oy * sh - ph + ky, ix = ox * sw - pw + kx;
                    if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
                    double term = gv * weight[((oc * c + ci) * kh + ky) * kw + kx];
                    double[] e = out[((s * c + ci) * h + iy) * w + ix];
                    e[0] += term;
                    e[1] += Math.abs(term);
                }
            }
            return out;
        }

        private static float[] gaussian(Random random, int size) {
            float[] values = new float[size];
            for (int i = 0; i < size; i++) values[i] = (float) random.nextGaussian();
            return values;
        }
    }
}
