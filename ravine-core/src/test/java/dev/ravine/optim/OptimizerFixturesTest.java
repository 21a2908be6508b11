package dev.ravine.optim;

import static org.junit.jupiter.api.Assertions.fail;

import dev.ravine.tensor.Tensor;
import dev.ravine.testing.Fixture;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * SGD and Adam against torch.optim (fixtures from tools/gen_fixtures.py): the same fixed gradient sequence is fed
 * to both, and every parameter must agree within 1e-5 * max(1, |expected|) after every step.
 */
class OptimizerFixturesTest {
    private static final double TOL = 1e-5;

    @Test void sgd() { check("sgd"); }
    @Test void sgdWeightDecay() { check("sgd_weight_decay"); }
    @Test void sgdMomentum() { check("sgd_momentum"); }
    @Test void sgdNesterov() { check("sgd_nesterov"); }
    @Test void sgdMomentumDampeningWeightDecay() { check("sgd_momentum_dampening_wd"); }
    @Test void adam() { check("adam"); }
    @Test void adamWeightDecay() { check("adam_weight_decay"); }
    @Test void adamAmsgrad() { check("adam_amsgrad"); }
    @Test void adamBetasEps() { check("adam_betas_eps"); }
    @Test void adamAmsgradWeightDecay() { check("adam_amsgrad_weight_decay"); }

    private static Optimizer build(Fixture f, Map<String, Tensor> params) {
        return switch (f.string("kind")) {
            case "sgd" -> Optimizers.sgd(params, f.number("lr"), f.number("momentum"), f.number("dampening"), f.bool("nesterov"),
                    f.number("weight_decay"));
            case "adam" -> Optimizers.adam(params, f.number("lr"), f.number("beta1"), f.number("beta2"), f.number("eps"),
                    f.number("weight_decay"), f.bool("amsgrad"));
            default -> throw new IllegalArgumentException("unknown optimizer kind " + f.string("kind"));
        };
    }

    private static void check(String name) {
        Fixture f = Fixture.load("optim/" + name + ".json");
        List<String> names = f.strings("param_names");
        int steps = f.integer("steps");
        Map<String, Tensor> params = new LinkedHashMap<>();
        for (String p : names) params.put(p, f.tensor("init." + p).requiresGrad(true));
        Optimizer opt = build(f, params);

        Map<String, float[]> grads = new LinkedHashMap<>(), values = new LinkedHashMap<>();
        for (String p : names) {
            grads.put(p, f.data("grads." + p));
            values.put(p, f.data("values." + p));
        }
        // Stop at the first step where a parameter differs: later steps only repeat the divergence.
        for (int t = 0; t < steps && f.failures().isEmpty(); t++) {
            for (String p : names) {
                int[] shape = params.get(p).shape();
                int n = params.get(p).numel();
                params.get(p).setGrad(Tensor.of(Arrays.copyOfRange(grads.get(p), t * n, (t + 1) * n), shape));
            }
            opt.step();
            for (String p : names) {
                Tensor param = params.get(p);
                f.compare("values." + p, param.toArray(), param.shape(), param.shape(), values.get(p), t * param.numel(), TOL,
                        " after step " + (t + 1) + " (" + opt.describe() + ")");
            }
        }
        if (f.report() != null) fail(f.report());
    }
}
