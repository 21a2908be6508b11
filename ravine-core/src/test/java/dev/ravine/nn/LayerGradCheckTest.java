package dev.ravine.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ravine.autograd.GradCheck;
import dev.ravine.nn.loss.BceWithLogitsLoss;
import dev.ravine.nn.loss.CrossEntropyLoss;
import dev.ravine.nn.loss.HuberLoss;
import dev.ravine.nn.loss.Loss;
import dev.ravine.nn.loss.MseLoss;
import dev.ravine.nn.loss.NllLoss;
import dev.ravine.tensor.Rng;
import dev.ravine.tensor.Shape;
import dev.ravine.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every layer's forward against finite differences, with respect to its input and to all of its parameters, and
 * every loss with respect to the prediction. Functions with kinks (max pooling, relu, leaky relu, elu) get
 * well-separated inputs so a finite-difference step never crosses one.
 */
class LayerGradCheckTest {
    private final Rng rng = new Rng(2024);

    private Tensor rand(int... shape) {
        return Tensor.uniform(rng, -1f, 1f, shape).requiresGrad(true);
    }

    /** Distinct values spaced 0.1 apart, none within 0.05 of zero when the count is even (see OpsGradCheckTest). */
    private Tensor separated(int... shape) {
        int n = Shape.numel(shape);
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) perm[i] = i;
        rng.shuffle(perm);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (perm[i] - n / 2f + 0.5f) * 0.1f;
        return Tensor.of(v, shape).requiresGrad(true);
    }

    /** Checks d layer(x) / d x and d layer(x) / d every parameter. */
    private void check(Module layer, Tensor input) {
        List<Tensor> inputs = new ArrayList<>();
        inputs.add(input);
        inputs.addAll(layer.parameters());
        GradCheck.Result r = GradCheck.check(t -> layer.call(t.get(0)), inputs);
        assertTrue(r.passed(), layer.kind() + " (inputs: x then " + layer.namedParameters().keySet() + "): " + r);
        assertTrue(r.checked() >= input.numel() || r.checked() >= 64, "too few partials checked: " + r);
    }

    /** Normalization layers start at weight 1, bias 0: move them so the parameter gradients are not trivial. */
    private <M extends Module> M randomizeAffine(M layer) {
        for (var e : layer.namedParameters().entrySet()) {
            Tensor p = e.getValue();
            float[] v = new float[p.numel()];
            for (int i = 0; i < v.length; i++) v[i] = (e.getKey().endsWith("weight") ? 1f : 0f) + 0.5f * (float) (rng.nextDouble() * 2 - 1);
            p.copyFrom(v);
        }
        return layer;
    }

    private BatchNorm withRunningStats(BatchNorm bn) {
        float[] mean = new float[bn.runningMean().numel()], var = new float[mean.length];
        for (int i = 0; i < mean.length; i++) {
            mean[i] = (float) (rng.nextDouble() - 0.5);
            var[i] = (float) (0.5 + rng.nextDouble());
        }
        bn.runningMean().copyFrom(mean);
        bn.runningVar().copyFrom(var);
        return bn;
    }

    // ---------------------------------------------------------------- linear and convolution

    @Test void linear() { check(new Linear(5, 4, true, rng), rand(3, 5)); }
    @Test void linearNoBias() { check(new Linear(5, 4, false, rng), rand(3, 5)); }
    @Test void linearOn3dInput() { check(new Linear(4, 3, true, rng), rand(2, 3, 4)); }
    @Test void conv2dStride1Pad1() { check(new Conv2d(2, 3, 3, 1, 1, true, rng, null), rand(2, 2, 5, 5)); }
    @Test void conv2dStride2NoBias() { check(new Conv2d(2, 3, 3, 2, 0, false, rng, null), rand(1, 2, 7, 7)); }

    // ---------------------------------------------------------------- pooling and reshaping

    @Test void maxPoolK2S2() { check(new MaxPool2d(2, 2, 0), separated(2, 2, 4, 4)); }
    @Test void maxPoolK3S2P1() { check(new MaxPool2d(3, 2, 1), separated(1, 2, 5, 5)); }
    @Test void avgPoolK3S2P1() { check(new AvgPool2d(3, 2, 1), rand(1, 2, 5, 5)); }
    @Test void avgPoolK2S2() { check(new AvgPool2d(2, 2, 0), rand(2, 2, 4, 4)); }
    @Test void flatten() { check(new Flatten(), rand(2, 3, 2, 2)); }

    // ---------------------------------------------------------------- normalization

    @Test void batchNorm1dTraining() { check(randomizeAffine(BatchNorm.of1d(4)), rand(6, 4)); }
    @Test void batchNorm1dTrainingOn3dInput() { check(randomizeAffine(BatchNorm.of1d(4)), rand(3, 4, 5)); }

    @Test void batchNorm1dEval() {
        BatchNorm bn = withRunningStats(randomizeAffine(BatchNorm.of1d(4)));
        bn.eval();
        check(bn, rand(6, 4));
    }

    @Test void batchNorm2dTraining() { check(randomizeAffine(BatchNorm.of2d(3)), rand(2, 3, 4, 4)); }

    @Test void batchNorm2dEval() {
        BatchNorm bn = withRunningStats(randomizeAffine(BatchNorm.of2d(3)));
        bn.eval();
        check(bn, rand(2, 3, 4, 4));
    }

    @Test void layerNorm() { check(randomizeAffine(new LayerNorm(new int[] {6}, 1e-5)), rand(3, 6)); }
    @Test void layerNormOverTwoAxes() { check(randomizeAffine(new LayerNorm(new int[] {3, 4}, 1e-5)), rand(2, 3, 4)); }
    @Test void groupNorm() { check(randomizeAffine(new GroupNorm(3, 6, 1e-5)), rand(2, 6, 3, 3)); }

    // ---------------------------------------------------------------- residual

    @Test void residualIdentity() {
        Sequential block = new Sequential(new Linear(5, 6, true, rng), new Activation(Activation.Kind.TANH), new Linear(6, 5, true, rng));
        Residual r = new Residual(block, new int[] {5}, rng);
        assertEquals(List.of("block.0.weight", "block.0.bias", "block.2.weight", "block.2.bias"), List.copyOf(r.namedParameters().keySet()));
        check(r, rand(4, 5));
    }

    @Test void residualLinearProjection() {
        Sequential block = new Sequential(new Linear(5, 6, true, rng), new Activation(Activation.Kind.TANH), new Linear(6, 3, true, rng));
        Residual r = new Residual(block, new int[] {5}, rng);
        assertTrue(r.namedParameters().containsKey("projection.weight"), r.namedParameters().keySet().toString());
        check(r, rand(4, 5));
    }

    @Test void residualConvProjection() {
        Sequential block = new Sequential(new Conv2d(2, 3, 3, 2, 1, true, rng, null), new Activation(Activation.Kind.TANH));
        Residual r = new Residual(block, new int[] {2, 6, 6}, rng);
        assertTrue(r.namedParameters().containsKey("projection.weight"), r.namedParameters().keySet().toString());
        check(r, rand(2, 2, 6, 6));
    }

    // ---------------------------------------------------------------- activations

    @Test void relu() { check(new Activation(Activation.Kind.RELU), separated(4, 6)); }
    @Test void leakyRelu() { check(new Activation(Activation.Kind.LEAKY_RELU), separated(4, 6)); }
    @Test void leakyReluSteeperSlope() { check(new Activation(Activation.Kind.LEAKY_RELU, 0.2), separated(4, 6)); }
    @Test void elu() { check(new Activation(Activation.Kind.ELU), separated(4, 6)); }
    @Test void eluAlpha() { check(new Activation(Activation.Kind.ELU, 0.5), separated(4, 6)); }
    @Test void gelu() { check(new Activation(Activation.Kind.GELU), rand(4, 6)); }
    @Test void sigmoid() { check(new Activation(Activation.Kind.SIGMOID), rand(4, 6)); }
    @Test void tanh() { check(new Activation(Activation.Kind.TANH), rand(4, 6)); }
    @Test void softplus() { check(new Activation(Activation.Kind.SOFTPLUS), rand(4, 6)); }
    @Test void softmax() { check(new Activation(Activation.Kind.SOFTMAX), rand(4, 6)); }

    // ---------------------------------------------------------------- dropout

    @Test void dropoutEvalIsTheIdentity() {
        Dropout d = new Dropout(0.5, rng);
        d.eval();
        Tensor x = rand(4, 6);
        assertArrayEquals(x.toArray(), d.call(x).toArray());
        check(d, x);
    }

    @Test void dropoutTrainGradientIsTheMaskOverKeepProbability() {
        double p = 0.3;
        Dropout d = new Dropout(p, rng);
        d.train(true);
        // No input value is zero, so a zero output means a dropped unit.
        Tensor x = Tensor.uniform(rng, 0.5f, 1.5f, 40, 25).requiresGrad(true);
        Tensor out = d.call(x);
        Tensor r = Tensor.uniform(rng, -1f, 1f, 40, 25);
        out.mul(r).sum().backward();
        float[] xv = x.toArray(), ov = out.toArray(), rv = r.toArray(), gv = x.grad().toArray();
        float scale = 1f / (1f - (float) p);
        int dropped = 0;
        for (int i = 0; i < xv.length; i++) {
            boolean kept = ov[i] != 0f;
            if (!kept) dropped++;
            float mask = kept ? scale : 0f;
            assertEquals(xv[i] * mask, ov[i], 1e-6f * Math.abs(xv[i] * mask), "output " + i);
            assertEquals(rv[i] * mask, gv[i], 1e-6f, "gradient " + i + " (kept " + kept + ")");
        }
        // 1000 Bernoulli(0.3) draws: the dropped fraction is within 0.05 of p with overwhelming probability.
        assertEquals(p, dropped / (double) xv.length, 0.05, "fraction dropped");
    }

    @Test void dropoutZeroIsTheIdentityInTraining() {
        Dropout d = new Dropout(0.0, rng);
        d.train(true);
        check(d, rand(4, 6));
    }

    // ---------------------------------------------------------------- losses

    private void checkLoss(Loss loss, Tensor prediction, Tensor target) {
        GradCheck.Result r = GradCheck.check(t -> loss.compute(t.get(0), target), List.of(prediction));
        assertTrue(r.passed(), loss.name() + ": " + r);
    }

    @Test void crossEntropyLoss() {
        checkLoss(new CrossEntropyLoss(), rand(5, 4).mul(2f).detach().requiresGrad(true), Tensor.of(new float[] {0, 3, 1, 1, 2}, 5));
    }

    @Test void nllLoss() {
        checkLoss(new NllLoss(), rand(5, 4), Tensor.of(new float[] {2, 0, 3, 1, 2}, 5));
    }

    @Test void mseLoss() { checkLoss(new MseLoss(), rand(4, 3), rand(4, 3).detach()); }

    @Test void bceWithLogitsLoss() {
        Tensor target = Tensor.uniform(rng, 0f, 1f, 4, 3);
        float[] t = target.toArray();
        for (int i = 0; i < 6; i++) t[i] = t[i] > 0.5f ? 1f : 0f; // hard labels, then soft ones
        checkLoss(new BceWithLogitsLoss(), rand(4, 3).mul(3f).detach().requiresGrad(true), Tensor.of(t, 4, 3));
    }

    @Test void huberLoss() {
        // Residuals on both sides of delta = 1 (and of -1), none within 0.05 of a kink.
        float[] d = {-3f, -1.6f, -1.2f, -0.9f, -0.4f, -0.05f, 0.1f, 0.5f, 0.8f, 1.1f, 1.7f, 2.5f};
        float[] target = rand(12).toArray(), prediction = new float[12];
        for (int i = 0; i < 12; i++) prediction[i] = target[i] + d[i];
        checkLoss(new HuberLoss(1.0), Tensor.of(prediction, 4, 3).requiresGrad(true), Tensor.of(target, 4, 3));
    }

    @Test void huberLossOtherDelta() {
        float[] d = {-2f, -0.7f, -0.3f, 0.2f, 0.35f, 0.9f};
        float[] target = rand(6).toArray(), prediction = new float[6];
        for (int i = 0; i < 6; i++) prediction[i] = target[i] + d[i];
        checkLoss(new HuberLoss(0.5), Tensor.of(prediction, 6).requiresGrad(true), Tensor.of(target, 6));
    }
}
