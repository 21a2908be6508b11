package dev.ravine.doctor.instrument;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ravine.doctor.curvature.StabilityRule;
import dev.ravine.optim.Optimizer;
import dev.ravine.optim.Optimizers;
import dev.ravine.tensor.Tensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Adam's effective steps lr/(sqrt(v_hat)+eps) read from the optimizer state, against a brute-force computation. */
class AdaptiveStepsTest {
    private static Map<String, Tensor> params(int n) {
        Map<String, Tensor> p = new LinkedHashMap<>();
        p.put("w", Tensor.zeros(n).requiresGrad(true));
        p.put("b", Tensor.zeros(3).requiresGrad(true));
        return p;
    }

    /** Gradients of very different sizes per coordinate, so v spans many decades. */
    private static void stepWithGradients(Optimizer opt, Map<String, Tensor> p, int steps) {
        for (int s = 0; s < steps; s++) {
            for (Tensor t : p.values()) {
                float[] g = new float[t.numel()];
                for (int i = 0; i < g.length; i++) g[i] = (float) Math.pow(10, -(i % 7)) * (1 + 0.1f * s);
                t.setGrad(Tensor.of(g, t.shape()));
            }
            opt.step();
        }
    }

    @Test
    void quantilesMatchABruteForceComputationOverEveryCoordinate() {
        Map<String, Tensor> p = params(200);
        Optimizer adam = Optimizers.adam(p, 0.01, 0.9, 0.999, 1e-8, 0, false);
        stepWithGradients(adam, p, 5);
        AdaptiveStepReading r = AdaptiveSteps.read(adam, StabilityRule.of(adam));
        assertEquals(203, r.sampled());

        // brute force: v_hat = v / (1 - beta2^5), v = 0.001 * sum over steps of g^2 weighted by 0.999^(5-s)
        double[] vHat = new double[203];
        int k = 0;
        for (Tensor t : p.values()) {
            for (int i = 0; i < t.numel(); i++) {
                double v = 0;
                for (int s = 0; s < 5; s++) {
                    float g = (float) Math.pow(10, -(i % 7)) * (1 + 0.1f * s);
                    v = 0.999 * v + 0.001 * g * g;
                }
                vHat[k++] = v / (1 - Math.pow(0.999, 5));
            }
        }
        Arrays.sort(vHat);
        double median = vHat[101], low = vHat[(int) Math.round(0.01 * 202)];
        assertEquals(median, r.vMedian(), 1e-6 * median);
        assertEquals(vHat[0], r.vMin(), 1e-5 * vHat[0]);
        assertEquals(0.01 / (Math.sqrt(median) + 1e-8), r.stepMedian(), 1e-5 * r.stepMedian());
        assertEquals(0.01 / (Math.sqrt(low) + 1e-8), r.stepP99(), 1e-5 * r.stepP99());
        assertEquals(0.01 / (Math.sqrt(vHat[0]) + 1e-8), r.stepMax(), 1e-5 * r.stepMax());
        assertTrue(r.stepMax() >= r.stepP99() && r.stepP99() >= r.stepMedian());
    }

    @Test
    void largeModelsAreSampledAndOtherOptimizersGiveNothing() {
        Map<String, Tensor> p = params(100_000);
        Optimizer adam = Optimizers.adam(p, 0.001);
        assertNull(AdaptiveSteps.read(adam, StabilityRule.of(adam)), "no v before the first step");
        stepWithGradients(adam, p, 2);
        AdaptiveStepReading r = AdaptiveSteps.read(adam, StabilityRule.of(adam));
        assertTrue(r.sampled() <= AdaptiveSteps.SAMPLE + 1 && r.sampled() >= AdaptiveSteps.SAMPLE - 1, "sampled " + r.sampled());
        // the gradients cycle through 7 decades, so the sample must span them: v_hat from ~1e-12 to ~1
        assertTrue(r.vMin() < 1e-11 && r.vMedian() > 1e-7, r.toString());

        Map<String, Tensor> q = params(10);
        Optimizer sgd = Optimizers.sgd(q, 0.1, 0.9, 0, false, 0);
        stepWithGradients(sgd, q, 2);
        assertNull(AdaptiveSteps.read(sgd, StabilityRule.of(sgd)));
    }
}
