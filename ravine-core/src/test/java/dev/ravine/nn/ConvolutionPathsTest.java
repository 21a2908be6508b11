package dev.ravine.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ravine.autograd.Autograd;
import dev.ravine.nn.functional.Functional;
import dev.ravine.tensor.Rng;
import dev.ravine.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The fast convolution (the implicit GEMM on the Vector API, else grouped im2col + GEMM; recomputing backward) against
 * the composite reference path.
 */
class ConvolutionPathsTest {
    private static void assertClose(Tensor expected, Tensor actual, String what) {
        float[] e = expected.values(), a = actual.values();
        assertEquals(e.length, a.length, what + " size");
        for (int i = 0; i < e.length; i++) assertEquals(e[i], a[i], 1e-5 * Math.max(1, Math.abs(e[i])), what + " at " + i);
    }

    @Test
    void fastAndReferencePathsAgreeOnOutputsAndGradients() {
        Rng rng = new Rng(5);
        // 11 samples: more than one group (and weight-gradient chunk) of 8, and a partial last one; and batch 1.
        // {strideH, strideW, padH, padW, batch}: stride 1 takes the implicit input gradient, padding 2 is the
        // 3 x 2 kernel's k - 1 on one axis and k on the other (im2col's input gradient there).
        for (int[] geo : new int[][] {{1, 1, 1, 1, 11}, {2, 2, 0, 0, 11}, {2, 1, 1, 0, 11}, {1, 1, 0, 0, 1}, {1, 1, 2, 2, 11},
                {1, 1, 2, 1, 1}}) {
            Tensor x = Tensor.normal(rng, 0, 1, geo[4], 3, 9, 8).requiresGrad(true);
            Tensor w = Tensor.normal(rng, 0, 0.3f, 4, 3, 3, 2).requiresGrad(true);
            Tensor b = Tensor.normal(rng, 0, 1, 4).requiresGrad(true);
            Tensor r = Tensor.normal(rng, 0, 1, Functional.conv2dReference(x, w, b, geo[0], geo[1], geo[2], geo[3]).shape());
            Tensor yFast = Functional.conv2d(x, w, b, geo[0], geo[1], geo[2], geo[3]);
            Tensor yRef = Functional.conv2dReference(x, w, b, geo[0], geo[1], geo[2], geo[3]);
            assertClose(yRef, yFast, "output");
            List<Tensor> gFast = Autograd.grad(yFast.mul(r).sum(), List.of(x, w, b), null, false);
            List<Tensor> gRef = Autograd.grad(yRef.mul(r).sum(), List.of(x, w, b), null, false);
            assertClose(gRef.get(0), gFast.get(0), "input gradient");
            assertClose(gRef.get(2), gFast.get(2), "bias gradient");
            // The weight gradient sums k = n * outH * outW products; the two float32 paths sum them in different orders,
            // so both are held to the exact (double) value within the a priori bound of float summation,
            // |error| <= k * 2^-24 * sum |terms| (Higham, Accuracy and Stability of Numerical Algorithms, 4.2).
            double[][] exact = weightGradientInDouble(x, r, w.shape(), geo);
            assertWithinSummationBound(exact, gFast.get(1), "weight gradient (fast path)");
            assertWithinSummationBound(exact, gRef.get(1), "weight gradient (reference path)");
        }
    }

    /** dL/dW for L = sum(conv(x, W) * r) by definition, in double: {value, sum of |terms|, number of terms} per weight. */
    private static double[][] weightGradientInDouble(Tensor x, Tensor r, int[] ws, int[] geo) {
        int n = x.size(0), c = x.size(1), h = x.size(2), wd = x.size(3), o = ws[0], kh = ws[2], kw = ws[3];
        int outH = r.size(2), outW = r.size(3);
        float[] xv = x.values(), rv = r.values();
        double[][] out = new double[o * c * kh * kw][];
        for (int oc = 0; oc < o; oc++) for (int ic = 0; ic < c; ic++) for (int ky = 0; ky < kh; ky++) for (int kx = 0; kx < kw; kx++) {
            double sum = 0, magnitude = 0;
            for (int s = 0; s < n; s++) for (int oy = 0; oy < outH; oy++) for (int ox = 0; ox < outW; ox++) {
                int iy = oy * geo[0] - geo[2] + ky, ix = ox * geo[1] - geo[3] + kx;
                if (iy < 0 || iy >= h || ix < 0 || ix >= wd) continue;
                double term = (double) rv[((s * o + oc) * outH + oy) * outW + ox] * xv[((s * c + ic) * h + iy) * wd + ix];
                sum += term;
                magnitude += Math.abs(term);
            }
            out[((oc * c + ic) * kh + ky) * kw + kx] = new double[] {sum, magnitude, n * outH * outW};
        }
        return out;
    }

    private static void assertWithinSummationBound(double[][] exact, Tensor actual, String what) {
        float[] a = actual.values();
        for (int i = 0; i < a.length; i++) {
            double bound = exact[i][2] * 0x1p-24 * exact[i][1] + 1e-7;
            assertEquals(exact[i][0], a[i], bound, what + " at " + i);
        }
    }

    @Test
    void hessianVectorProductsThroughTheFastPathEqualTheReferencePath() {
        Rng rng = new Rng(6);
        Tensor x = Tensor.normal(rng, 0, 1, 3, 2, 5, 5);
        Tensor w = Tensor.normal(rng, 0, 0.5f, 3, 2, 3, 3).requiresGrad(true);
        Tensor v = Tensor.normal(rng, 0, 1, 3, 2, 3, 3);
        Tensor hvFast = hvp(Functional.conv2d(x, w, null, 1, 1, 1, 1).tanh().square().sum(), w, v);
        Tensor hvRef = hvp(Functional.conv2dReference(x, w, null, 1, 1, 1, 1).tanh().square().sum(), w, v);
        assertClose(hvRef, hvFast, "Hv");
    }

    private static Tensor hvp(Tensor loss, Tensor w, Tensor v) {
        Tensor g = Autograd.grad(loss, List.of(w), null, true).get(0);
        return Autograd.grad(g.mul(v).sum(), List.of(w), null, false).get(0);
    }
}
