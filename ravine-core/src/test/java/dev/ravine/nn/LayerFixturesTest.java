package dev.ravine.nn;

import static org.junit.jupiter.api.Assertions.fail;

import dev.ravine.tensor.Rng;
import dev.ravine.tensor.Tensor;
import dev.ravine.testing.Fixture;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every layer against PyTorch (fixtures from tools/gen_fixtures.py): the same weights are loaded into the Ravine
 * layer, and the output, d sum(output * R) / d input and / d every parameter, and batch norm's running statistics,
 * must agree within 1e-5 * max(1, |expected|).
 */
class LayerFixturesTest {
    private static final double TOL = 1e-5;
    private final Rng rng = new Rng(11);

    @Test void linear() {
        Fixture f = Fixture.load("layers/linear.json");
        check(f, new Linear(f.integer("in_features"), f.integer("out_features"), f.bool("bias"), rng));
    }

    @Test void linearOn3dInput() {
        Fixture f = Fixture.load("layers/linear_3d_input.json");
        check(f, new Linear(f.integer("in_features"), f.integer("out_features"), f.bool("bias"), rng));
    }

    @Test void conv2dStride2Pad1RectangularInput() { conv("layers/conv2d_rect_s2_p1.json"); }
    @Test void conv2dStride1Pad1() { conv("layers/conv2d_s1_p1.json"); }
    @Test void conv2dStride2Pad0NoBias() { conv("layers/conv2d_s2_p0_nobias.json"); }

    private void conv(String path) {
        Fixture f = Fixture.load(path);
        check(f, new Conv2d(f.integer("in_channels"), f.integer("out_channels"), f.integer("kernel"), f.integer("stride"),
                f.integer("padding"), f.bool("bias"), rng, null));
    }

    @Test void maxPoolK2S2() { maxPool("layers/maxpool2d_k2_s2.json"); }
    @Test void maxPoolK3S2P1() { maxPool("layers/maxpool2d_k3_s2_p1.json"); }
    @Test void maxPoolK3S2P1RectangularInput() { maxPool("layers/maxpool2d_k3_s2_p1_rect.json"); }
    @Test void maxPoolK2S2WithTies() { maxPool("layers/maxpool2d_k2_s2_ties.json"); }
    @Test void maxPoolK3S2P1WithTies() { maxPool("layers/maxpool2d_k3_s2_p1_ties.json"); }

    private void maxPool(String path) {
        Fixture f = Fixture.load(path);
        check(f, new MaxPool2d(f.integer("kernel"), f.integer("stride"), f.integer("padding")));
    }

    @Test void avgPoolK3S2P1() { avgPool("layers/avgpool2d_k3_s2_p1.json"); }
    @Test void avgPoolK3S2P1RectangularInput() { avgPool("layers/avgpool2d_k3_s2_p1_rect.json"); }

    private void avgPool(String path) {
        Fixture f = Fixture.load(path);
        check(f, new AvgPool2d(f.integer("kernel"), f.integer("stride"), f.integer("padding")));
    }

    @Test void flatten() { check(Fixture.load("layers/flatten.json"), new Flatten()); }

    @Test void batchNorm1dTraining() { batchNorm1d("layers/batchnorm1d_train.json"); }
    @Test void batchNorm1dTrainingOn3dInput() { batchNorm1d("layers/batchnorm1d_train_3d.json"); }
    @Test void batchNorm1dEval() { batchNorm1d("layers/batchnorm1d_eval.json"); }

    private void batchNorm1d(String path) {
        Fixture f = Fixture.load(path);
        check(f, BatchNorm.of1d(f.integer("features"), f.number("eps"), f.number("momentum")));
    }

    @Test void batchNorm2dTraining() { batchNorm2d("layers/batchnorm2d_train.json"); }
    @Test void batchNorm2dEval() { batchNorm2d("layers/batchnorm2d_eval.json"); }

    private void batchNorm2d(String path) {
        Fixture f = Fixture.load(path);
        check(f, BatchNorm.of2d(f.integer("features"), f.number("eps"), f.number("momentum")));
    }

    @Test void layerNorm() { layerNorm("layers/layernorm.json"); }
    @Test void layerNormOverTwoAxes() { layerNorm("layers/layernorm_2axes.json"); }

    private void layerNorm(String path) {
        Fixture f = Fixture.load(path);
        check(f, new LayerNorm(f.integers("normalized_shape"), f.number("eps")));
    }

    @Test void groupNorm() {
        Fixture f = Fixture.load("layers/groupnorm.json");
        check(f, new GroupNorm(f.integer("groups"), f.integer("channels"), f.number("eps")));
    }

    @Test void relu() { activation("relu"); }
    @Test void leakyRelu() { activation("leaky_relu"); }
    @Test void elu() { activation("elu"); }
    @Test void gelu() { activation("gelu"); }
    @Test void sigmoid() { activation("sigmoid"); }
    @Test void tanh() { activation("tanh"); }
    @Test void softplus() { activation("softplus"); }
    @Test void softmax() { activation("softmax"); }

    // Inputs with exact zeros: the derivative at the kink must be PyTorch's choice.
    @Test void reluAtZero() { activation("relu_at_zero"); }
    @Test void leakyReluAtZero() { activation("leaky_relu_at_zero"); }
    @Test void eluAtZero() { activation("elu_at_zero"); }
    @Test void geluAtZero() { activation("gelu_at_zero"); }
    @Test void softplusAtZero() { activation("softplus_at_zero"); }

    private void activation(String name) {
        Fixture f = Fixture.load("layers/activation_" + name + ".json");
        // The default parameters are PyTorch's: slope 0.01 for leaky_relu, alpha 1 for elu.
        check(f, new Activation(Activation.Kind.parse(f.string("activation"))));
    }

    @Test void residualIdentityShortcut() { residual("layers/residual.json"); }
    @Test void residualWithProjection() { residual("layers/residual_projection.json"); }

    private void residual(String path) {
        Fixture f = Fixture.load(path);
        int in = f.integer("features"), hidden = f.integer("hidden"), out = f.integer("out_features");
        Sequential block = new Sequential(new Linear(in, hidden, true, rng), Activation.relu(), new Linear(hidden, out, true, rng));
        check(f, new Residual(block, new int[] {in}, rng));
    }

    /** Loads the fixture's weights and buffers into {@code layer}, runs forward and backward, and compares everything. */
    static void check(Fixture f, Module layer) {
        layer.train(f.bool("training"));
        Map<String, Tensor> params = layer.namedParameters();
        Set<String> expectedNames = f.namesWithPrefix("param.");
        if (!params.keySet().equals(expectedNames)) {
            f.fail("parameter names " + params.keySet() + ", PyTorch has " + expectedNames);
        }
        for (String name : expectedNames) {
            Tensor p = params.get(name);
            if (p == null) continue;
            if (!Arrays.equals(p.shape(), f.shape("param." + name))) {
                f.fail("parameter " + name + " has shape " + Arrays.toString(p.shape()) + ", PyTorch " + Arrays.toString(f.shape("param." + name)));
                continue;
            }
            p.copyFrom(f.data("param." + name));
        }
        Map<String, Tensor> buffers = layer.namedBuffers();
        for (String name : f.namesWithPrefix("buffer.")) {
            Tensor b = buffers.get(name);
            if (b == null) f.fail("no buffer " + name + " (buffers: " + buffers.keySet() + ")");
            else b.copyFrom(f.data("buffer." + name));
        }
        if (f.report() != null) fail(f.report());

        Tensor x = f.tensor("input").requiresGrad(true);
        Tensor out = layer.call(x);
        f.compare("output", out, TOL);
        if (Arrays.equals(out.shape(), f.shape("R"))) {
            out.mul(f.tensor("R")).sum().backward();
            f.compare("grad_input", x.grad(), TOL);
            for (String name : expectedNames) {
                if (params.containsKey(name)) f.compare("grad_" + name, params.get(name).grad(), TOL);
            }
        }
        for (String name : f.namesWithPrefix("buffer_after.")) {
            if (buffers.containsKey(name)) f.compare("buffer_after." + name, buffers.get(name), TOL);
        }
        if (f.report() != null) fail(f.report());
    }
}
