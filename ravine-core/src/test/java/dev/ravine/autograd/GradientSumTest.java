package dev.ravine.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.ravine.tensor.Rng;
import dev.ravine.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Gradient contributions to a tensor used several times are summed in place into the sum the backward pass made
 * itself; a gradient a backward function handed on (add's passes the same tensor to both inputs) must never be
 * written. Checked against the recorded backward, which always sums into new tensors.
 */
class GradientSumTest {
    @Test
    void inPlaceSumsGiveTheBitsOfFreshOnes() {
        Rng rng = new Rng(5);
        Tensor x = Tensor.normal(rng, 0, 1, 4, 3).requiresGrad(true);
        Tensor r = Tensor.normal(rng, 0, 1, 4, 3), r2 = Tensor.normal(rng, 0, 1, 4, 3);
        Tensor a = x.mul(Tensor.scalar(1.5f));
        Tensor b = a.add(a);
        Tensor c = b.add(a).add(b);
        Tensor d = c.add(c);
        Tensor loss = d.mul(r).sum().add(b.mul(r2).sum()).add(a.mul(b).sum());
        sameAsRecorded(loss, List.of(x, a, b, c));
    }

    /**
     * t gets two contributions (a sum the pass made), and add's backward hands that same tensor to p and to q; p
     * then gets one more from u. Summed into the handed-on tensor, q's gradient would change too. Both orders of the
     * loss's terms, so that u's contribution comes after t's in one of them.
     */
    @Test
    void aGradientHandedOnIsNeverSummedInto() {
        Rng rng = new Rng(6);
        Tensor x = Tensor.normal(rng, 0, 1, 4, 3).requiresGrad(true);
        Tensor r = Tensor.normal(rng, 0, 1, 4, 3), r2 = Tensor.normal(rng, 0, 1, 4, 3), r3 = Tensor.normal(rng, 0, 1, 4, 3);
        for (boolean uFirst : new boolean[] {false, true}) {
            Tensor p = x.mul(Tensor.scalar(1.5f)), q = x.mul(Tensor.scalar(-2f));
            Tensor t = p.add(q);
            Tensor tTerms = t.mul(r).sum().add(t.mul(r2).sum()), uTerm = p.mul(r3).sum();
            sameAsRecorded(uFirst ? uTerm.add(tTerms) : tTerms.add(uTerm), List.of(x, p, q, t));
        }
    }

    /** A weight used through its transpose at every step, as an RNN's is: its gradients arrive as strided views. */
    @Test
    void stridedContributionsSumLikeDenseOnes() {
        Rng rng = new Rng(7);
        Tensor w = Tensor.normal(rng, 0, 1, 5, 3).requiresGrad(true);
        Tensor wT = w.transpose(0, 1);
        Tensor loss = Tensor.scalar(0f);
        for (int step = 0; step < 4; step++) {
            Tensor x = Tensor.normal(rng, 0, 1, 2, 3), r = Tensor.normal(rng, 0, 1, 2, 5);
            loss = loss.add(x.matmul(wT).mul(r).sum());
        }
        sameAsRecorded(loss, List.of(w, wT));
    }

    private static void sameAsRecorded(Tensor loss, List<Tensor> inputs) {
        List<Tensor> inPlace = Autograd.grad(loss, inputs, null, false);
        List<Tensor> fresh;
        try (var scope = GradMode.set(true)) {
            fresh = Autograd.grad(loss, inputs, null, true);
        }
        for (int i = 0; i < inputs.size(); i++) {
            assertArrayEquals(fresh.get(i).toArray(), inPlace.get(i).toArray(), 0f, "gradient of input " + i);
        }
    }
}
