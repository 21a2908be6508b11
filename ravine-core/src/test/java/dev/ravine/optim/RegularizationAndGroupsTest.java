package dev.ravine.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ravine.io.Checkpoint;
import dev.ravine.nn.Linear;
import dev.ravine.nn.loss.MseLoss;
import dev.ravine.tensor.Rng;
import dev.ravine.tensor.Tensor;
import dev.ravine.train.RegularizedLoss;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RegularizationAndGroupsTest {
    /** y = X w* + noise with 5 of 30 true weights non-zero. */
    private static Tensor[] sparseRegression(int n, int d) {
        Rng rng = new Rng(42);
        float[] x = new float[n * d], y = new float[n];
        for (int i = 0; i < n; i++) {
            double t = 0;
            for (int j = 0; j < d; j++) {
                x[i * d + j] = (float) rng.nextGaussian();
                if (j < 5) t += (j + 1) * 0.5 * x[i * d + j];
            }
            y[i] = (float) (t + 0.1 * rng.nextGaussian());
        }
        return new Tensor[] {Tensor.of(x, n, d), Tensor.of(y, n, 1)};
    }

    private static double zeroFraction(double lambda, boolean proximal) {
        Tensor[] data = sparseRegression(200, 30);
        Linear model = new Linear(30, 1, true, new Rng(1));
        Map<String, Tensor> params = model.namedParameters();
        Optimizer opt = Optimizers.sgd(params, 0.05);
        var loss = proximal ? new MseLoss() : new RegularizedLoss(new MseLoss(), params, lambda, 0);
        if (proximal) opt.addConstraint(new ProximalL1(lambda));
        for (int step = 0; step < 150; step++) {
            Tensor l = loss.compute(model.call(data[0]), data[1]);
            opt.zeroGrad();
            l.backward();
            opt.step();
        }
        int zeros = 0;
        float[] w = params.get("weight").values();
        for (float v : w) if (v == 0f) zeros++;
        assertNotEquals(0f, params.get("bias").values()[0], "the bias is not regularized");
        return zeros / (double) w.length;
    }

    @Test
    void proximalL1GivesExactZerosGrowingWithLambda() {
        double small = zeroFraction(0.01, true), mid = zeroFraction(0.1, true), large = zeroFraction(1.0, true);
        System.out.println("proximal L1 zero fractions (lambda 0.01, 0.1, 1.0): " + small + " " + mid + " " + large);
        assertTrue(small < mid && mid < large, "zero fractions " + small + " " + mid + " " + large);
        assertTrue(mid >= 0.5, "most of the 25 irrelevant weights are exactly zero at lambda 0.1: " + mid);
        assertEquals(0.0, zeroFraction(0.1, false), "the L1 subgradient in the loss does not give exact zeros");
    }

    @Test
    void l2LossTermEqualsCoupledDecayOnWeightsOnly() {
        Tensor[] data = sparseRegression(20, 30);
        Linear a = new Linear(30, 1, true, new Rng(3)), b = new Linear(30, 1, true, new Rng(3));
        Optimizer oa = Optimizers.sgd(a.namedParameters(), 0.1);
        var loss = new RegularizedLoss(new MseLoss(), a.namedParameters(), 0, 0.5);
        Tensor l = loss.compute(a.call(data[0]), data[1]);
        l.backward();
        oa.step();
        Optimizer ob = Optimizer.of(b.namedParameters(), ParamGroups.transform(b.namedParameters(), List.of(),
                List.of(new ParamGroups.Group("bias", ParamGroups.BIAS, Chain.of(new ScaleByLearningRate(Schedule.constant(0.1))))),
                Chain.of(new AddDecayedWeights(0.5), new ScaleByLearningRate(Schedule.constant(0.1)))));
        new MseLoss().compute(b.call(data[0]), data[1]).backward();
        ob.step();
        assertArrayEquals(b.namedParameters().get("weight").values(), a.namedParameters().get("weight").values(), 1e-6f);
        assertArrayEquals(b.namedParameters().get("bias").values(), a.namedParameters().get("bias").values(), 1e-6f);
        double w2 = 0;
        for (float v : new Linear(30, 1, true, new Rng(3)).namedParameters().get("weight").values()) w2 += v * v;
        try (var s = dev.ravine.autograd.GradMode.noGrad()) {
            assertEquals(0.25 * w2, Regularization.l2(new Linear(30, 1, true, new Rng(3)).namedParameters(), 0.5).item(), 1e-5);
        }
    }

    @Test
    void maxNormBoundsEveryUnitsIncomingWeights() {
        Tensor[] data = sparseRegression(50, 30);
        Linear model = new Linear(30, 4, true, new Rng(5));
        Optimizer opt = Optimizers.sgd(model.namedParameters(), 0.2).addConstraint(new MaxNorm(0.7));
        Tensor target = Tensor.of(new float[200], 50, 4);
        for (int i = 0; i < 200; i++) target.storage()[i] = data[1].values()[i / 4] * (1 + i % 4);
        boolean bound = false;
        for (int step = 0; step < 30; step++) {
            new MseLoss().compute(model.call(data[0]), target).backward();
            opt.step();
            opt.zeroGrad();
            float[] w = model.namedParameters().get("weight").values();
            for (int r = 0; r < 4; r++) {
                double s = 0;
                for (int c = 0; c < 30; c++) s += (double) w[r * 30 + c] * w[r * 30 + c];
                assertTrue(Math.sqrt(s) <= 0.7 + 1e-5, "row " + r + " norm " + Math.sqrt(s));
                if (Math.sqrt(s) > 0.7 - 1e-4) bound = true;
            }
        }
        assertTrue(bound, "the constraint was active");
        float[] last = opt.lastUpdates().get("weight");
        assertFalse(Float.isNaN(last[0]));
    }

    private static Map<String, Tensor> params() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("fc.weight", Tensor.of(new float[] {1f, -2f, 0.5f, 3f}, 2, 2).requiresGrad(true));
        m.put("fc.bias", Tensor.of(new float[] {1f, -1f}, 2).requiresGrad(true));
        m.put("norm.weight", Tensor.of(new float[] {1f, 1f}, 2).requiresGrad(true));
        return m;
    }

    private static void feed(Map<String, Tensor> p, int step) {
        for (var e : p.entrySet()) {
            float[] g = new float[e.getValue().numel()];
            for (int i = 0; i < g.length; i++) g[i] = (float) Math.sin(step * 0.7 + i + e.getKey().length());
            e.getValue().setGrad(Tensor.of(g, e.getValue().shape()));
        }
    }

    @Test
    void biasesAndNormGainsAreNotDecayedWhileWeightsAre() {
        Map<String, Tensor> grouped = params(), plain = params(), decayed = params();
        GradientTransform noDecay = Chain.of(new TraceMomentum(0.9, 0, false), new ScaleByLearningRate(Schedule.constant(0.1)));
        Optimizer g = Optimizer.of(grouped, ParamGroups.transform(grouped, List.of(new ClipByGlobalNorm(100)),
                List.of(new ParamGroups.Group("no_decay", (n, s) -> ParamGroups.BIAS.test(n, s) || ParamGroups.NORM.test(n, s), noDecay)),
                Chain.of(new AddDecayedWeights(0.3), new TraceMomentum(0.9, 0, false), new ScaleByLearningRate(Schedule.constant(0.1)))));
        Optimizer p = Optimizers.sgd(plain, 0.1, 0.9, 0, false, 0);
        Optimizer d = Optimizers.sgd(decayed, 0.1, 0.9, 0, false, 0.3);
        for (int step = 1; step <= 20; step++) {
            feed(grouped, step);
            feed(plain, step);
            feed(decayed, step);
            g.step();
            p.step();
            d.step();
        }
        assertArrayEquals(plain.get("fc.bias").values(), grouped.get("fc.bias").values(), 0f);
        assertArrayEquals(plain.get("norm.weight").values(), grouped.get("norm.weight").values(), 0f);
        assertArrayEquals(decayed.get("fc.weight").values(), grouped.get("fc.weight").values(), 0f);
        assertFalse(java.util.Arrays.equals(plain.get("fc.weight").values(), grouped.get("fc.weight").values()));
        assertArrayEquals(new int[] {1, 0, 0}, ParamGroups.assign(grouped, List.of(new ParamGroups.Group("b", ParamGroups.matcher("bias|norm"), noDecay))));
    }

    @Test
    void groupedAdamStateRestoresFromACheckpoint() {
        Linear model = new Linear(2, 2, true, new Rng(9));
        Map<String, Tensor> params = model.namedParameters();
        Optimizer opt = Optimizer.of(params, ParamGroups.transform(params, List.of(),
                List.of(new ParamGroups.Group("bias", ParamGroups.BIAS, Chain.of(new ScaleByAdam(0.9, 0.999, 1e-8, false), new ScaleByLearningRate(Schedule.constant(0.01))))),
                Chain.of(new AddDecayedWeights(0.1), new ScaleByAdam(0.9, 0.999, 1e-8, false), new ScaleByLearningRate(Schedule.constant(0.001)))));
        for (int s = 1; s <= 3; s++) { feed(params, s); opt.step(); }
        Rng rng = new Rng(1);
        Checkpoint c = Checkpoint.capture(model, opt, rng, 0, 0, new double[4]);
        assertTrue(c.optimizerArrays().keySet().stream().anyMatch(k -> k.startsWith("0.0.")), c.optimizerArrays().keySet().toString());
        assertTrue(c.optimizerArrays().keySet().stream().anyMatch(k -> k.startsWith("1.1.")), c.optimizerArrays().keySet().toString());
        for (int s = 4; s <= 6; s++) { feed(params, s); opt.step(); }
        float[] expected = params.get("bias").toArray();
        c.restore(model, opt, rng);
        for (int s = 4; s <= 6; s++) { feed(params, s); opt.step(); }
        assertArrayEquals(expected, params.get("bias").values(), 0f);
    }
}
