package dev.ravine.tensor;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ravine.autograd.GradCheck;
import dev.ravine.nn.functional.Functional;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Every differentiable tensor operation against finite differences. */
class OpsGradCheckTest {
    private final Rng rng = new Rng(42);

    private Tensor rand(int... shape) {
        return Tensor.uniform(rng, -1f, 1f, shape).requiresGrad(true);
    }

    private Tensor positive(int... shape) {
        return Tensor.uniform(rng, 0.5f, 2f, shape).requiresGrad(true);
    }

    /** Distinct values spaced 0.1 apart, so a finite-difference step never crosses a kink (max, relu). */
    private Tensor separated(int... shape) {
        int n = Shape.numel(shape);
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) perm[i] = i;
        rng.shuffle(perm);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (perm[i] - n / 2f + 0.5f) * 0.1f;
        return Tensor.of(v, shape).requiresGrad(true);
    }

    private void check(Function<List<Tensor>, Tensor> f, Tensor... inputs) {
        GradCheck.Result r = GradCheck.check(f, List.of(inputs));
        assertTrue(r.passed(), r.toString());
    }

    @Test void add() { check(t -> t.get(0).add(t.get(1)), rand(3, 4), rand(3, 4)); }
    @Test void addBroadcast() { check(t -> t.get(0).add(t.get(1)), rand(2, 3, 4), rand(4)); }
    @Test void addBroadcastMiddle() { check(t -> t.get(0).add(t.get(1)), rand(2, 3, 4), rand(3, 1)); }
    @Test void sub() { check(t -> t.get(0).sub(t.get(1)), rand(3, 4), rand(1, 4)); }
    @Test void mul() { check(t -> t.get(0).mul(t.get(1)), rand(3, 4), rand(3, 1)); }
    @Test void div() { check(t -> t.get(0).div(t.get(1)), rand(3, 4), positive(3, 4)); }
    @Test void scalarOps() { check(t -> t.get(0).mul(3f).add(1f).div(2f).sub(0.5f), rand(5)); }
    @Test void maximum() { check(t -> t.get(0).maximum(t.get(1)), separated(4, 5), separated(4, 5).add(0.05f).detach().requiresGrad(true)); }
    @Test void minimum() { check(t -> t.get(0).minimum(t.get(1)), rand(4, 5), rand(5)); }
    @Test void pow() { check(t -> t.get(0).pow(3f), positive(6)); }
    @Test void neg() { check(t -> t.get(0).neg(), rand(6)); }
    @Test void exp() { check(t -> t.get(0).exp(), rand(6)); }
    @Test void log() { check(t -> t.get(0).log(), positive(6)); }
    @Test void sqrt() { check(t -> t.get(0).sqrt(), positive(6)); }
    @Test void abs() { check(t -> t.get(0).abs(), rand(6)); }
    @Test void tanh() { check(t -> t.get(0).tanh(), rand(6)); }
    @Test void sigmoid() { check(t -> t.get(0).sigmoid(), rand(6)); }
    @Test void relu() { check(t -> t.get(0).relu(), separated(20)); }
    @Test void softplus() { check(t -> t.get(0).softplus(), rand(6)); }
    @Test void normalCdf() { check(t -> t.get(0).normalCdf(), rand(6)); }
    @Test void where() { check(t -> Tensor.where(t.get(0).detach().gt(0f), t.get(0).mul(2f), t.get(1)), rand(3, 4), rand(3, 4)); }

    @Test void sumAll() { check(t -> t.get(0).sum(), rand(3, 4)); }
    @Test void sumAxis() { check(t -> t.get(0).sum(1, false), rand(2, 3, 4)); }
    @Test void sumAxesKeep() { check(t -> t.get(0).sum(new int[] {0, 2}, true), rand(2, 3, 4)); }
    @Test void mean() { check(t -> t.get(0).mean(new int[] {0, 2}, false), rand(2, 3, 4)); }
    @Test void max() { check(t -> t.get(0).max(1, false), separated(3, 5)); }
    @Test void logSumExp() { check(t -> t.get(0).logSumExp(1, false), rand(3, 5)); }
    @Test void sumTo() { check(t -> t.get(0).sumTo(new int[] {3, 1}), rand(2, 3, 4)); }

    @Test void reshape() { check(t -> t.get(0).reshape(4, 3).mul(t.get(1)), rand(3, 4), rand(4, 3)); }
    @Test void permute() { check(t -> t.get(0).permute(2, 0, 1).mul(t.get(1)), rand(2, 3, 4), rand(4, 2, 3)); }
    @Test void slice() { check(t -> t.get(0).slice(1, 1, 3).mul(2f), rand(3, 4)); }
    @Test void expand() { check(t -> t.get(0).expand(3, 4).mul(t.get(1)), rand(1, 4), rand(3, 4)); }
    @Test void concat() { check(t -> Tensor.concat(1, t.get(0), t.get(1)).mul(2f), rand(2, 3), rand(2, 2)); }
    @Test void contiguousOfTranspose() { check(t -> t.get(0).transpose(0, 1).contiguous(), rand(3, 4)); }

    @Test void matmul() { check(t -> t.get(0).matmul(t.get(1)), rand(3, 4), rand(4, 5)); }
    @Test void matmulTransposedOperands() { check(t -> t.get(0).transpose(0, 1).matmul(t.get(1).transpose(0, 1)), rand(4, 3), rand(5, 4)); }
    @Test void batchedMatmul() { check(t -> t.get(0).matmul(t.get(1)), rand(2, 3, 4), rand(2, 4, 5)); }
    @Test void batchedMatmulBroadcast() { check(t -> t.get(0).matmul(t.get(1)), rand(3, 4), rand(2, 4, 5)); }
    @Test void matmul3dBy2d() { check(t -> t.get(0).matmul(t.get(1)), rand(2, 3, 4), rand(4, 5)); }

    @Test void logSoftmax() { check(t -> Functional.logSoftmax(t.get(0)), rand(3, 5)); }
    @Test void softmax() { check(t -> Functional.softmax(t.get(0)), rand(3, 5)); }
    @Test void pick() { check(t -> Functional.pickPerRow(t.get(0), new int[] {1, 0, 4}), rand(3, 5)); }
    @Test void conv2d() { check(t -> Functional.conv2d(t.get(0), t.get(1), t.get(2), 1, 1, 1, 1), rand(2, 2, 5, 5), rand(3, 2, 3, 3), rand(3)); }
    @Test void conv2dStrided() { check(t -> Functional.conv2d(t.get(0), t.get(1), null, 2, 2, 0, 0), rand(1, 2, 7, 6), rand(2, 2, 3, 2)); }
    @Test void maxPool() { check(t -> Functional.maxPool2d(t.get(0), 2, 2, 2, 2, 0, 0), separated(2, 2, 4, 4)); }
    @Test void maxPoolPadded() { check(t -> Functional.maxPool2d(t.get(0), 3, 3, 2, 2, 1, 1), separated(1, 2, 5, 5)); }
    @Test void avgPool() { check(t -> Functional.avgPool2d(t.get(0), 3, 3, 2, 2, 1, 1), rand(1, 2, 5, 5)); }

    @Test void secondOrderOfTanhMatchesFiniteDifferencesOfGradient() {
        // d/dx of (d/dx sum tanh(x)^3): checks that the backward pass itself is differentiable.
        check(t -> {
            try (var on = dev.ravine.autograd.GradMode.set(true)) {
                Tensor x = t.get(0);
                Tensor y = x.tanh().pow(3f).sum();
                return dev.ravine.autograd.Autograd.grad(y, List.of(x), null, true).get(0);
            }
        }, rand(5));
    }
}
