package dev.ravine.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ravine.autograd.Autograd;
import dev.ravine.autograd.GradCheck;
import dev.ravine.autograd.GradMode;
import dev.ravine.tensor.Rng;
import dev.ravine.tensor.Tensor;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The fused LSTM and GRU cells against the separate tensor operations they replace: the same bits forward and
 * backward, and, through their recorded backward, the same second derivatives (Hessian-vector products), which also
 * pass a finite-difference check of the gradient itself.
 */
class FusedCellsTest {
    private static final int BATCH = 3, HIDDEN = 5;

    /** Lstm's formula in separate operations: [h'; c'] stacked as the fused cell returns them. */
    private static Tensor lstmComposite(Tensor ip, Tensor hp, Tensor c) {
        Tensor pre = ip.add(hp);
        Tensor i = Recurrent.gate(pre, 0, HIDDEN).sigmoid(), f = Recurrent.gate(pre, 1, HIDDEN).sigmoid();
        Tensor g = Recurrent.gate(pre, 2, HIDDEN).tanh(), o = Recurrent.gate(pre, 3, HIDDEN).sigmoid();
        Tensor next = f.mul(c).add(i.mul(g));
        return Tensor.concat(0, o.mul(next.tanh()), next);
    }

    /** Gru's formula in separate operations. */
    private static Tensor gruComposite(Tensor ip, Tensor hp, Tensor h) {
        Tensor r = Recurrent.gate(ip, 0, HIDDEN).add(Recurrent.gate(hp, 0, HIDDEN)).sigmoid();
        Tensor z = Recurrent.gate(ip, 1, HIDDEN).add(Recurrent.gate(hp, 1, HIDDEN)).sigmoid();
        Tensor n = Recurrent.gate(ip, 2, HIDDEN).add(r.mul(Recurrent.gate(hp, 2, HIDDEN))).tanh();
        return n.add(z.mul(h.sub(n)));
    }

    private interface Cell {
        Tensor apply(Tensor ip, Tensor hp, Tensor state);
    }

    private static List<Tensor> inputs(int gates, long seed) {
        Rng rng = new Rng(seed);
        return List.of(Tensor.normal(rng, 0, 1.5f, BATCH, gates * HIDDEN).requiresGrad(true),
                Tensor.normal(rng, 0, 1.5f, BATCH, gates * HIDDEN).requiresGrad(true), Tensor.normal(rng, 0, 1, BATCH, HIDDEN).requiresGrad(true));
    }

    private static void sameBitsForwardAndBackward(Cell fused, Cell composite, int gates) {
        List<Tensor> in = inputs(gates, 11);
        Tensor yFused = fused.apply(in.get(0), in.get(1), in.get(2)), yComposite = composite.apply(in.get(0), in.get(1), in.get(2));
        assertArrayEquals(yComposite.toArray(), yFused.toArray(), 0f, "output");
        Tensor r = Tensor.normal(new Rng(12), 0, 1, yFused.shape());
        List<Tensor> gFused = Autograd.grad(yFused.mul(r).sum(), in, null, false);
        List<Tensor> gComposite = Autograd.grad(yComposite.mul(r).sum(), in, null, false);
        for (int k = 0; k < 3; k++) assertArrayEquals(gComposite.get(k).toArray(), gFused.get(k).toArray(), 0f, "gradient of input " + k);
    }

    @Test
    void lstmCellGivesTheSeparateOperationsBits() {
        sameBitsForwardAndBackward((ip, hp, c) -> LstmCell.step(ip, hp, null, null, c), FusedCellsTest::lstmComposite, 4);
    }

    /**
     * With the biases added inside the cell: the same bits as adding each to its projection first, forward and in
     * every input's gradient (the biases' included), whether the backward is recorded or not.
     */
    @Test
    void lstmCellWithBiasesGivesTheSeparateAdditionsBits() {
        List<Tensor> in = new java.util.ArrayList<>(inputs(4, 31));
        Rng rng = new Rng(32);
        in.add(2, Tensor.normal(rng, 0, 1, 4 * HIDDEN).requiresGrad(true));
        in.add(3, Tensor.normal(rng, 0, 1, 4 * HIDDEN).requiresGrad(true));
        Function<List<Tensor>, Tensor> fused = t -> LstmCell.step(t.get(0), t.get(1), t.get(2), t.get(3), t.get(4));
        Function<List<Tensor>, Tensor> composite = t -> lstmComposite(t.get(0).add(t.get(2)), t.get(1).add(t.get(3)), t.get(4));
        Tensor yFused = fused.apply(in), yComposite = composite.apply(in);
        assertArrayEquals(yComposite.toArray(), yFused.toArray(), 0f, "output");
        Tensor r = Tensor.normal(new Rng(33), 0, 1, yFused.shape());
        for (boolean recorded : new boolean[] {false, true}) {
            try (var scope = GradMode.set(true)) {
                List<Tensor> gFused = Autograd.grad(fused.apply(in).mul(r).sum(), in, null, recorded);
                List<Tensor> gComposite = Autograd.grad(composite.apply(in).mul(r).sum(), in, null, recorded);
                for (int k = 0; k < in.size(); k++) {
                    assertArrayEquals(gComposite.get(k).toArray(), gFused.get(k).toArray(), 0f,
                            "gradient of input " + k + (recorded ? ", recorded" : ""));
                }
            }
        }
    }

    @Test
    void gruCellGivesTheSeparateOperationsBits() {
        sameBitsForwardAndBackward(GruCell::step, FusedCellsTest::gruComposite, 3);
    }

    /** d/dinputs of sum(cell(inputs) * r), recorded, flattened into one vector (grad mode on: GradCheck probes under noGrad). */
    private static Function<List<Tensor>, Tensor> gradient(Cell cell, Tensor r) {
        return in -> {
            try (var scope = GradMode.set(true)) {
                List<Tensor> g = Autograd.grad(cell.apply(in.get(0), in.get(1), in.get(2)).mul(r).sum(), in, null, true);
                return Tensor.concat(0, g.get(0).reshape(-1), g.get(1).reshape(-1), g.get(2).reshape(-1));
            }
        };
    }

    private static void secondDerivatives(Cell fused, Cell composite, int gates) {
        List<Tensor> in = inputs(gates, 21);
        Tensor r = Tensor.normal(new Rng(22), 0, 1, fused.apply(in.get(0), in.get(1), in.get(2)).shape());
        Tensor gFused = gradient(fused, r).apply(in), gComposite = gradient(composite, r).apply(in);
        assertTrue(gFused.requiresGrad(), "the fused cell's gradient must be differentiable when recorded");
        assertArrayEquals(gComposite.toArray(), gFused.toArray(), 1e-6f, "recorded gradient");
        Tensor v = Tensor.normal(new Rng(23), 0, 1, gFused.shape());
        float[] hvFused = Autograd.grad(gFused.mul(v).sum(), in, null, false).stream().map(Tensor::toArray).reduce(FusedCellsTest::join).get();
        float[] hvComposite = Autograd.grad(gComposite.mul(v).sum(), in, null, false).stream().map(Tensor::toArray).reduce(FusedCellsTest::join).get();
        for (int i = 0; i < hvFused.length; i++) assertEquals(hvComposite[i], hvFused[i], 1e-5 * Math.max(1, Math.abs(hvComposite[i])), "HVP at " + i);
        GradCheck.Result check = GradCheck.check(gradient(fused, r), in);
        assertTrue(check.passed(), "finite differences of the fused cell's gradient: " + check);
    }

    private static float[] join(float[] a, float[] b) {
        float[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void lstmCellHasExactSecondDerivatives() {
        secondDerivatives((ip, hp, c) -> LstmCell.step(ip, hp, null, null, c), FusedCellsTest::lstmComposite, 4);
    }

    @Test
    void gruCellHasExactSecondDerivatives() {
        secondDerivatives(GruCell::step, FusedCellsTest::gruComposite, 3);
    }
}
