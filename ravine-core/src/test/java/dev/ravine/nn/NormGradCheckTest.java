package dev.ravine.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ravine.autograd.GradCheck;
import dev.ravine.tensor.Rng;
import dev.ravine.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** InstanceNorm, weight-normalized and spectrally normalized Linear and Conv2d against finite differences. */
class NormGradCheckTest {
    private final Rng rng = new Rng(4242);

    private Tensor rand(int... shape) {
        return Tensor.uniform(rng, -1f, 1f, shape).requiresGrad(true);
    }

    private void check(Module layer, Tensor input) {
        List<Tensor> inputs = new ArrayList<>();
        inputs.add(input);
        inputs.addAll(layer.parameters());
        GradCheck.Result r = GradCheck.check(t -> layer.call(t.get(0)), inputs);
        assertTrue(r.passed(), layer.kind() + " (inputs: x then " + layer.namedParameters().keySet() + "): " + r);
    }

    private <M extends Module> M randomizeParameters(M layer) {
        for (Tensor p : layer.parameters()) {
            float[] v = p.toArray();
            for (int i = 0; i < v.length; i++) v[i] += (float) (0.5 * (rng.nextDouble() - 0.5));
            p.copyFrom(v);
        }
        return layer;
    }

    @Test void instanceNorm1d() { check(InstanceNorm.of1d(3), rand(2, 3, 5)); }
    @Test void instanceNorm2dAffine() { check(randomizeParameters(new InstanceNorm(3, 2, 1e-5, 0.1, true, false)), rand(2, 3, 3, 4)); }

    @Test void instanceNorm2dTrackedEval() {
        InstanceNorm layer = randomizeParameters(new InstanceNorm(2, 2, 1e-5, 0.1, true, true));
        layer.call(rand(3, 2, 3, 3)); // moves the running statistics away from 0 and 1
        layer.eval();
        check(layer, rand(2, 2, 3, 3));
    }

    /** A computed weight cannot be edited in place: weight() refuses instead of letting the edit vanish. */
    @Test void reparametrizedLayersHaveNoEditableWeight() {
        Linear normed = new Linear(4, 3, true, rng, null, WeightForm.WEIGHT_NORM);
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, normed::weight);
        assertTrue(e.getMessage().contains("weight_norm") && e.getMessage().contains("weight_g"), e.getMessage());
        Conv2d spectral = new Conv2d(2, 3, 3, 1, 1, true, rng, null, WeightForm.SPECTRAL_NORM);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, spectral::weight);
        // the effective weight of weight norm is g v / ||v||: each row has norm g
        float[] w = normed.effectiveWeight().toArray(), g = normed.namedParameters().get("weight_g").toArray();
        for (int row = 0; row < 3; row++) {
            double sq = 0;
            for (int k = 0; k < 4; k++) sq += w[row * 4 + k] * w[row * 4 + k];
            org.junit.jupiter.api.Assertions.assertEquals(Math.abs(g[row]), Math.sqrt(sq), 1e-5);
        }
    }

    @Test void weightNormLinear() { check(randomizeParameters(new Linear(4, 3, true, rng, null, WeightForm.WEIGHT_NORM)), rand(2, 4)); }

    @Test void weightNormConv2d() {
        check(randomizeParameters(new Conv2d(2, 3, 3, 1, 1, true, rng, null, WeightForm.WEIGHT_NORM)), rand(1, 2, 4, 4));
    }

    /**
     * In eval mode u and v are fixed, so W / (u . W v) is a deterministic function whose gradient is exactly what
     * training uses (there too u and v are constants of the backward); a few training forwards move u and v first.
     */
    @Test void spectralNormLinear() {
        Linear layer = new Linear(4, 3, true, rng, null, WeightForm.SPECTRAL_NORM);
        for (int i = 0; i < 3; i++) layer.call(rand(2, 4));
        layer.eval();
        check(layer, rand(2, 4));
    }

    @Test void spectralNormConv2d() {
        Conv2d layer = new Conv2d(2, 3, 3, 2, 1, true, rng, null, WeightForm.SPECTRAL_NORM);
        for (int i = 0; i < 3; i++) layer.call(rand(1, 2, 5, 5));
        layer.eval();
        check(layer, rand(1, 2, 5, 5));
    }
}
