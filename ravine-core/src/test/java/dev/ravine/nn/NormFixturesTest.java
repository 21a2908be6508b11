package dev.ravine.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.ravine.tensor.Rng;
import dev.ravine.tensor.Tensor;
import dev.ravine.testing.Fixture;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * InstanceNorm, weight normalization and spectral normalization against PyTorch (fixtures from
 * tools/gen_norm_fixtures.py): outputs, gradients of sum(output * R) and buffers after, within 1e-5 * max(1, |expected|).
 */
class NormFixturesTest {
    private static final double TOL = 1e-5;
    private final Rng rng = new Rng(21);

    @ParameterizedTest
    @ValueSource(strings = {"instancenorm1d", "instancenorm1d_affine_tracked", "instancenorm2d_affine",
            "instancenorm2d_tracked_eval", "instancenorm2d_untracked_eval"})
    void instanceNormMatchesPyTorch(String name) {
        Fixture f = Fixture.load("norm/" + name + ".json");
        LayerFixturesTest.check(f, new InstanceNorm(f.integer("channels"), f.integer("spatial_rank"), f.number("eps"),
                f.number("momentum"), f.bool("affine"), f.bool("track_running_stats")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"weight_norm_linear", "weight_norm_conv2d"})
    void weightNormMatchesPyTorch(String name) {
        Fixture f = Fixture.load("norm/" + name + ".json");
        LayerFixturesTest.check(f, layer(f, WeightForm.WEIGHT_NORM));
    }

    /**
     * torch's u and v were set to known vectors; after the same number of training forwards (one power iteration
     * each) the outputs, gradients and buffers must agree, and an eval forward must not iterate.
     */
    @ParameterizedTest
    @ValueSource(strings = {"spectral_norm_linear", "spectral_norm_conv2d"})
    void spectralNormMatchesPyTorchOverSeveralForwards(String name) {
        Fixture f = Fixture.load("norm/" + name + ".json");
        Module layer = layer(f, WeightForm.SPECTRAL_NORM);
        Map<String, Tensor> params = layer.namedParameters();
        assertEquals(f.namesWithPrefix("param."), params.keySet());
        for (String p : params.keySet()) params.get(p).copyFrom(f.data("param." + p));
        Map<String, Tensor> buffers = layer.namedBuffers();
        assertEquals(f.namesWithPrefix("buffer."), buffers.keySet());
        for (String b : buffers.keySet()) buffers.get(b).copyFrom(f.data("buffer." + b));

        Tensor x = f.tensor("input").requiresGrad(true);
        int forwards = f.integer("forwards");
        for (int k = 1; k < forwards; k++) f.compare("output_" + k, layer.call(x.detach()), TOL);
        Tensor out = layer.call(x);
        f.compare("output", out, TOL);
        out.mul(f.tensor("R")).sum().backward();
        f.compare("grad_input", x.grad(), TOL);
        for (String p : params.keySet()) f.compare("grad_" + p, params.get(p).grad(), TOL);
        for (String b : buffers.keySet()) f.compare("buffer_after." + b, buffers.get(b), TOL);
        layer.eval();
        f.compare("eval_output", layer.call(x.detach()), TOL);
        for (String b : buffers.keySet()) f.compare("buffer_after." + b, buffers.get(b), TOL);
        if (f.report() != null) fail(f.report());
    }

    private Module layer(Fixture f, WeightForm form) {
        if (f.string("kind").equals("linear")) {
            return new Linear(f.integer("in_features"), f.integer("out_features"), true, rng, null, form);
        }
        return new Conv2d(f.integer("in_channels"), f.integer("out_channels"), f.integer("kernel"), f.integer("stride"),
                f.integer("padding"), true, rng, null, form);
    }
}
