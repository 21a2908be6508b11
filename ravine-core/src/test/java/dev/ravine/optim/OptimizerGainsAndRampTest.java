package dev.ravine.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ravine.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Adaptive gains and the momentum ramp (not in torch.optim) against hand-computed steps, and the registry's errors. */
class OptimizerGainsAndRampTest {
    private static Map<String, Tensor> one(float... w) {
        Map<String, Tensor> p = new LinkedHashMap<>();
        p.put("w", Tensor.of(w, w.length).requiresGrad(true));
        return p;
    }

    private static float[] step(Optimizer opt, Map<String, Tensor> p, float... g) {
        p.get("w").setGrad(Tensor.of(g, g.length));
        opt.step();
        return p.get("w").toArray();
    }

    @Test
    void adaptiveGainsPlainSgd() {
        Map<String, Tensor> p = one(0f, 0f);
        Optimizer opt = Optimizers.byName("adaptive_gains", Map.of("lr", 0.1), p);
        // step 1: no previous gradient, gains stay 1: w = -0.1 g
        assertArrayEquals(new float[] {-0.1f, 0.2f}, step(opt, p, 1f, -2f), 1e-7f);
        // step 2: w0 keeps its sign (gain 1.05), w1 flips (gain 0.95)
        assertArrayEquals(new float[] {-0.1f - 0.1f * 1.05f * 1f, 0.2f - 0.1f * 0.95f * 1f}, step(opt, p, 1f, 1f), 1e-7f);
        // step 3: w0 again agrees (1.10), w1 agrees now (0.95 + 0.05 = 1.0)
        assertArrayEquals(new float[] {-0.205f - 0.1f * 1.10f * 2f, 0.105f - 0.1f * 1.0f * 2f}, step(opt, p, 2f, 2f), 1e-6f);
        float[][] gains = opt.state().arrays().get("0.gain");
        assertArrayEquals(new float[] {1.10f, 1.0f}, gains[0], 1e-6f);
    }

    @Test
    void adaptiveGainsAreClipped() {
        Map<String, Tensor> p = one(0f, 0f);
        Optimizer opt = Optimizers.byName("adaptive_gains", Map.of("lr", 0.0, "min_gain", 0.9, "max_gain", 1.12), p);
        for (int t = 0; t < 10; t++) step(opt, p, 1f, t % 2 == 0 ? 1f : -1f);
        assertArrayEquals(new float[] {1.12f, 0.9f}, opt.state().arrays().get("0.gain")[0], 1e-6f);
    }

    @Test
    void adaptiveGainsWithMomentum() {
        Map<String, Tensor> p = one(0f);
        Optimizer opt = Optimizers.byName("adaptive_gains", Map.of("lr", 1.0, "momentum", 0.5), p);
        assertEquals(-1f, step(opt, p, 1f)[0], 1e-7f); // gain 1, buf = 1
        assertEquals(-1f - (0.5f * 1f + 1.05f), step(opt, p, 1f)[0], 1e-6f); // gain 1.05, buf = 0.5 + 1.05
    }

    @Test
    void momentumRampRisesLinearly() {
        MomentumRamp ramp = new MomentumRamp(0.5, 0.9, 4);
        assertEquals(0.5, ramp.momentumAt(1), 1e-12);
        assertEquals(0.6, ramp.momentumAt(2), 1e-12);
        assertEquals(0.8, ramp.momentumAt(4), 1e-12);
        assertEquals(0.9, ramp.momentumAt(5), 1e-12);
        assertEquals(0.9, ramp.momentumAt(100), 1e-12);

        Map<String, Tensor> p = one(0f);
        Optimizer opt = Optimizers.byName("momentum_ramp", Map.of("lr", 1.0, "initial_momentum", 0.5, "momentum", 0.9, "ramp_steps", 4), p);
        float w = 0f, buf;
        buf = 1f; w -= buf;
        assertEquals(w, step(opt, p, 1f)[0], 1e-6f);
        buf = 0.6f * buf + 1f; w -= buf; // 1.6
        assertEquals(w, step(opt, p, 1f)[0], 1e-6f);
        buf = 0.7f * buf + 1f; w -= buf; // 2.12
        assertEquals(w, step(opt, p, 1f)[0], 1e-6f);
        buf = 0.8f * buf + 1f; w -= buf; // 2.696
        assertEquals(w, step(opt, p, 1f)[0], 1e-6f);
        buf = 0.9f * buf + 1f; w -= buf; // 3.4264
        assertEquals(w, step(opt, p, 1f)[0], 1e-5f);
        assertEquals(-(1 + 1.6f + 2.12f + 2.696f + 3.4264f), w, 1e-5f);
    }

    @Test
    void registryRejectsUnknownNamesAndOptions() {
        var e1 = assertThrows(IllegalArgumentException.class, () -> Optimizers.byName("adamm", Map.of(), one(0f)));
        assertTrue(e1.getMessage().contains("adam, adamw") && e1.getMessage().contains("rprop"), e1.getMessage());
        var e2 = assertThrows(IllegalArgumentException.class, () -> Optimizers.byName("rprop", Map.of("momentum", 0.9), one(0f)));
        assertTrue(e2.getMessage().contains("etas") && e2.getMessage().contains("step_sizes"), e2.getMessage());
        var e3 = assertThrows(IllegalArgumentException.class, () -> Optimizers.byName("adam", Map.of("betas", List.of(0.9)), one(0f)));
        assertTrue(e3.getMessage().contains("betas"), e3.getMessage());
        assertEquals(List.of("sgd", "adam", "adamw", "adagrad", "adadelta", "rmsprop", "adamax", "nadam", "radam", "rprop",
                "adaptive_gains", "momentum_ramp", "lbfgs"), Optimizers.names());
    }

    @Test
    void inactiveParametersAreSkipped() {
        for (String name : Optimizers.names()) {
            Map<String, Tensor> p = one(1f, 2f);
            p.put("v", Tensor.of(new float[] {3f}, 1).requiresGrad(true));
            Optimizer opt = Optimizers.byName(name, Map.of(), p);
            if (opt.needsClosure()) continue; // L-BFGS: one flat vector of all parameters, as torch's (LbfgsTest)
            p.get("w").setGrad(Tensor.of(new float[] {0.5f, -0.5f}, 2));
            opt.step();
            assertArrayEquals(new float[] {3f}, p.get("v").toArray(), 0f, name);
            for (var e : opt.state().counters().entrySet()) assertEquals(0L, e.getValue()[1], name + " " + e.getKey());
        }
    }
}
