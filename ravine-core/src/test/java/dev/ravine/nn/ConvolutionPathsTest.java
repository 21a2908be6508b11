package dev.ravine.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ravine.autograd.Autograd;
import dev.ravine.nn.functional.Functional;
import dev.ravine.tensor.Rng;
import dev.ravine.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fast convolution (grouped im2col + GEMM, recomputing backward) against the composite reference path. */
class ConvolutionPathsTest {
    private static void assertClose(Tensor expected, Tensor actual, String what) {
        float[] e = expected.values(), a = actual.values();
        assertEquals(e.length, a.length, what + " size");
        for (int i = 0; i < e.length; i++) assertEquals(e[i], a[i], 1e-5 * Math.max(1, Math.abs(e[i])), what + " at " + i);
    }

    @Test
    void fastAndReferencePathsAgreeOnOutputsAndGradients() {
        Rng rng = new Rng(5);
        // 11 samples: more than one group of 8, and a partial last group
        for (int[] geo : new int[][] {{1, 1, 1, 1}, {2, 2, 0, 0}, {2, 1, 1, 0}}) {
            Tensor x = Tensor.normal(rng, 0, 1, 11, 3, 9, 8).requiresGrad(true);
            Tensor w = Tensor.normal(rng, 0, 0.3f, 4, 3, 3, 2).requiresGrad(true);
            Tensor b = Tensor.normal(rng, 0, 1, 4).requiresGrad(true);
            Tensor r = Tensor.normal(rng, 0, 1, Functional.conv2dReference(x, w, b, geo[0], geo[1], geo[2], geo[3]).shape());
            Tensor yFast = Functional.conv2d(x, w, b, geo[0], geo[1], geo[2], geo[3]);
            Tensor yRef = Functional.conv2dReference(x, w, b, geo[0], geo[1], geo[2], geo[3]);
            assertClose(yRef, yFast, "output");
            List<Tensor> gFast = Autograd.grad(yFast.mul(r).sum(), List.of(x, w, b), null, false);
            List<Tensor> gRef = Autograd.grad(yRef.mul(r).sum(), List.of(x, w, b), null, false);
            for (int i = 0; i < 3; i++) assertClose(gRef.get(i), gFast.get(i), "gradient " + i);
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
