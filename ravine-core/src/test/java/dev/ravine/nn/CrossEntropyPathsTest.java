package dev.ravine.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ravine.autograd.Autograd;
import dev.ravine.nn.loss.CrossEntropyLoss;
import dev.ravine.tensor.Rng;
import dev.ravine.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fused cross-entropy against its composite reference: value, gradient, and Hessian-vector product. */
class CrossEntropyPathsTest {
    @Test
    void fusedAndCompositeAgreeToSecondOrder() {
        Rng rng = new Rng(8);
        Tensor w = Tensor.normal(rng, 0, 1, 4, 5).requiresGrad(true);
        Tensor x = Tensor.normal(rng, 0, 1, 6, 4);
        int[] y = {0, 4, 2, 2, 1, 3};
        float[] yf = new float[y.length];
        for (int i = 0; i < y.length; i++) yf[i] = y[i];
        Tensor v = Tensor.normal(rng, 0, 1, 4, 5);

        Tensor fused = new CrossEntropyLoss().compute(x.matmul(w), Tensor.of(yf, 6));
        Tensor composite = CrossEntropyLoss.reference(x.matmul(w), y);
        assertEquals(composite.item(), fused.item(), 1e-6);

        Tensor gFused = Autograd.grad(fused, List.of(w), null, true).get(0);
        Tensor gComposite = Autograd.grad(composite, List.of(w), null, true).get(0);
        Tensor hvFused = Autograd.grad(gFused.mul(v).sum(), List.of(w), null, false).get(0);
        Tensor hvComposite = Autograd.grad(gComposite.mul(v).sum(), List.of(w), null, false).get(0);
        for (int i = 0; i < 20; i++) {
            assertEquals(gComposite.values()[i], gFused.values()[i], 1e-6, "gradient " + i);
            assertEquals(hvComposite.values()[i], hvFused.values()[i], 1e-5, "Hv " + i);
        }
        // the plain (unrecorded) backward uses the fused kernel's gradient
        Tensor plain = Autograd.grad(new CrossEntropyLoss().compute(x.matmul(w), Tensor.of(yf, 6)), List.of(w), null, false).get(0);
        for (int i = 0; i < 20; i++) assertEquals(gComposite.values()[i], plain.values()[i], 1e-6, "plain gradient " + i);
    }
}
