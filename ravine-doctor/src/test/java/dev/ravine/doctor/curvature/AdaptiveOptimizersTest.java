package dev.ravine.doctor.curvature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ravine.doctor.instrument.AdaptiveStepReading;
import dev.ravine.doctor.instrument.AdaptiveSteps;
import dev.ravine.optim.Optimizer;
import dev.ravine.optim.Optimizers;
import dev.ravine.tensor.Tensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * RMSprop, Adagrad, Adadelta, NAdam, RAdam and AdaMax runs as the doctor reads them: each one's preconditioner comes
 * from its link's typed state (checked here against the state by name and against the step it took), its
 * preconditioned sharpness is measured with the matching threshold, and its adaptive-step readings exist.
 */
class AdaptiveOptimizersTest {
    private static Map<String, Tensor> params() {
        Map<String, Tensor> p = new LinkedHashMap<>();
        p.put("w", Tensor.zeros(5).requiresGrad(true));
        p.put("b", Tensor.zeros(2).requiresGrad(true));
        return p;
    }

    private static void step(Optimizer opt, Map<String, Tensor> p, int steps) {
        for (int s = 0; s < steps; s++) {
            for (Tensor t : p.values()) {
                float[] g = new float[t.numel()];
                for (int i = 0; i < g.length; i++) g[i] = (float) (Math.pow(10, -i) * (1 + 0.3 * s) * (i % 2 == 0 ? 1 : -1));
                t.setGrad(Tensor.of(g, t.shape()));
            }
            opt.step();
        }
    }

    private static Optimizer stepped(String name, Map<String, Object> options, Map<String, Tensor> p) {
        Optimizer opt = Optimizers.byName(name, options, p);
        assertNull(StabilityRule.of(opt).preconditioner(opt), name + ": no preconditioner before the first step");
        step(opt, p, 3);
        return opt;
    }

    @Test
    void preconditionersComeFromTheTypedStateOfEveryAdaptiveOptimizer() {
        // RMSprop and Adagrad (no momentum) step by exactly -lr g / P: P read back from the last step must match
        for (String name : List.of("rmsprop", "adagrad")) {
            Map<String, Tensor> p = params();
            Optimizer opt = stepped(name, Map.of("lr", 0.01), p);
            double[] pre = StabilityRule.of(opt).preconditioner(opt);
            assertEquals(7, pre.length, name);
            int k = 0;
            for (var e : p.entrySet()) {
                float[] u = opt.lastUpdates().get(e.getKey()), g = e.getValue().grad().toArray();
                for (int i = 0; i < u.length; i++, k++) assertEquals(-0.01 * g[i] / pre[k], u[i], 1e-5 * Math.abs(u[i]) + 1e-12, name + " " + e.getKey() + i);
            }
        }
        // against the state by name (what the checkpoint stores), step counts 3
        Map<String, Tensor> p = params();
        Optimizer adadelta = stepped("adadelta", Map.of(), p);
        float[] v = adadelta.state().arrays().get("0.square_avg")[0], u = adadelta.state().arrays().get("0.acc_delta")[0];
        assertEquals(Math.sqrt(v[1] + 1e-6) / Math.sqrt(u[1] + 1e-6), StabilityRule.of(adadelta).preconditioner(adadelta)[1], 1e-12);
        p = params();
        Optimizer nadam = stepped("nadam", Map.of(), p);
        float[] nv = nadam.state().arrays().get("0.exp_avg_sq")[0];
        assertEquals(Math.sqrt(nv[2] / (1 - Math.pow(0.999, 3))) + 1e-8, StabilityRule.of(nadam).preconditioner(nadam)[2], 1e-12);
        p = params();
        Optimizer adamax = stepped("adamax", Map.of(), p);
        assertEquals(adamax.state().arrays().get("0.exp_inf")[1][0], StabilityRule.of(adamax).preconditioner(adamax)[5], 0);
        p = params();
        Optimizer radam = stepped("radam", Map.of(), p);
        assertEquals(1.0, StabilityRule.of(radam).preconditioner(radam)[0], 0, "RAdam is momentum SGD until rho_t > 5");
    }

    @Test
    void thresholdsOnThePreconditionedHessian() {
        double lr = 0.01;
        Map<String, Double> expected = new LinkedHashMap<>();
        expected.put("rmsprop", 2 / lr);
        expected.put("adagrad", 2 / lr);
        expected.put("adadelta", 2 / lr);
        expected.put("adamax", 38 / lr);
        expected.put("radam", 38 / lr);
        expected.put("adamw", 38 / lr);
        expected.put("nadam", Double.NaN);
        for (var e : expected.entrySet()) {
            Optimizer opt = Optimizers.byName(e.getKey(), Map.of(), params());
            StabilityRule rule = StabilityRule.of(opt);
            assertNotNull(rule.preconditioning(), e.getKey());
            assertEquals(e.getValue(), rule.preconditionedThreshold(lr), 1e-9, e.getKey());
            assertTrue(Double.isNaN(rule.sharpnessThreshold(lr)), e.getKey() + ": no raw threshold for preconditioned steps");
        }
        Optimizer heavy = Optimizers.rmsprop(params(), lr, 0.99, 1e-8, 0, 0.9, false);
        assertEquals((2 + 2 * 0.9) / lr, StabilityRule.of(heavy).preconditionedThreshold(lr), 1e-9, "RMSprop with momentum: heavy ball on P^-1 H");
        Optimizer sgd = Optimizers.sgd(params(), lr);
        assertNull(StabilityRule.of(sgd).preconditioning());
        assertTrue(Double.isNaN(StabilityRule.of(sgd).preconditionedThreshold(lr)));
    }

    /** Before the typed preconditioners only Adam's was read: an RMSprop run had no preconditioned sharpness at all. */
    @Test
    void anRmspropRunGetsItsPreconditionedSharpnessMeasured() {
        CurvatureMonitorTest.Run run = CurvatureMonitorTest.train(m -> Optimizers.rmsprop(m.namedParameters(), 0.01, 0.99, 1e-8, 0, 0, false), 12, 4);
        CurvatureReading last = run.readings().getLast();
        assertEquals(2 / 0.01, last.preconditionedThreshold(), 1e-9);
        Optimizer opt = run.trainer().optimizer();
        double[] p = StabilityRule.of(opt).preconditioner(opt);
        double exact = PreconditionedSharpness.compute(CurvatureMonitorTest.hessianAt(run), p, CurvatureMonitorTest.TIGHT).value();
        assertTrue(Double.isFinite(last.preconditionedSharpness()), last::toString);
        assertEquals(exact, last.preconditionedSharpness(), 1e-3 * Math.abs(exact));
    }

    @Test
    void adaptiveStepReadingsForEveryPreconditionedOptimizer() {
        for (String name : List.of("rmsprop", "adagrad", "adadelta", "nadam", "adamax", "radam")) {
            Map<String, Tensor> p = params();
            Optimizer opt = stepped(name, Map.of(), p);
            StabilityRule rule = StabilityRule.of(opt);
            AdaptiveStepReading r = AdaptiveSteps.read(opt, rule);
            assertNotNull(r, name);
            assertEquals(7, r.sampled(), name);
            double[] pre = rule.preconditioner(opt).clone();
            Arrays.sort(pre);
            assertEquals(opt.learningRate() / pre[3], r.stepMedian(), 1e-12 * r.stepMedian(), name);
            assertEquals(opt.learningRate() / pre[0], r.stepMax(), 1e-12 * r.stepMax(), name);
        }
        Map<String, Tensor> p = params();
        Optimizer sgd = Optimizers.byName("momentum_ramp", Map.of(), p);
        step(sgd, p, 2);
        assertNull(AdaptiveSteps.read(sgd, StabilityRule.of(sgd)), "no preconditioner, no adaptive readings");
    }
}
