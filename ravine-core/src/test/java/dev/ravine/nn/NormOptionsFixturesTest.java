package dev.ravine.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.ravine.autograd.GradCheck;
import dev.ravine.tensor.Rng;
import dev.ravine.tensor.Tensor;
import dev.ravine.testing.Fixture;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Normalization without affine parameters (torch's affine / elementwise_affine = False) or without running statistics
 * (track_running_stats = False: eval normalizes by the batch too) against PyTorch (tools/gen_engine_fixtures.py), and
 * against finite differences.
 */
class NormOptionsFixturesTest {
    private static final double TOL = 1e-5;

    @Test void batchnormWithoutAffine() { check("batchnorm1d_noaffine", BatchNorm.of(4, false, 1e-5, 0.1, false, true)); }
    @Test void batchnormWithoutRunningStats() { check("batchnorm2d_notrack", BatchNorm.of(3, true, 1e-5, 0.1, true, false)); }
    @Test void batchnormWithoutRunningStatsInEval() { check("batchnorm2d_notrack_eval", BatchNorm.of(3, true, 1e-5, 0.1, true, false)); }
    @Test void layernormWithoutAffine() { check("layernorm_noaffine", new LayerNorm(new int[] {5}, 1e-5, false)); }
    @Test void groupnormWithoutAffine() { check("groupnorm_noaffine", new GroupNorm(2, 4, 1e-5, false)); }

    private static void check(String name, Module m) {
        Fixture f = Fixture.load("layers/" + name + ".json");
        m.train(f.bool("training"));
        assertEquals(f.namesWithPrefix("param.").size(), m.namedParameters().size(), "parameters " + m.namedParameters().keySet());
        for (Map.Entry<String, Tensor> p : m.namedParameters().entrySet()) p.getValue().copyFrom(f.data("param." + p.getKey()));
        for (Map.Entry<String, Tensor> b : m.namedBuffers().entrySet()) {
            if (f.has("buffer." + b.getKey())) b.getValue().copyFrom(f.data("buffer." + b.getKey()));
        }
        Tensor x = f.tensor("input").requiresGrad(true);
        Tensor out = m.call(x);
        f.compare("output", out, TOL);
        out.mul(f.tensor("R")).sum().backward();
        f.compare("grad_input", x.grad(), TOL);
        for (Map.Entry<String, Tensor> p : m.namedParameters().entrySet()) f.compare("grad_" + p.getKey(), p.getValue().grad(), TOL);
        for (Map.Entry<String, Tensor> b : m.namedBuffers().entrySet()) {
            if (f.has("buffer_after." + b.getKey())) f.compare("buffer_after." + b.getKey(), b.getValue(), TOL);
        }
        if (f.report() != null) fail(f.report());
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        Rng rng = new Rng(8);
        for (Module m : List.of(BatchNorm.of(3, false, 1e-5, 0.1, false, false), new LayerNorm(new int[] {4}, 1e-5, false),
                new GroupNorm(2, 4, 1e-5, false))) {
            Tensor x = Tensor.uniform(rng, -1, 1, 5, m instanceof LayerNorm ? 4 : m instanceof GroupNorm ? 4 : 3).requiresGrad(true);
            if (m instanceof GroupNorm) x = Tensor.uniform(rng, -1, 1, 3, 4, 2).requiresGrad(true);
            List<Tensor> in = new ArrayList<>(List.of(x));
            in.addAll(m.parameters());
            GradCheck.Result r = GradCheck.check(t -> m.call(t.get(0)), in);
            assertTrue(r.passed(), m.kind() + ": " + r);
            assertTrue(m.parameters().isEmpty(), m.kind() + " has no parameters without affine");
        }
    }
}
