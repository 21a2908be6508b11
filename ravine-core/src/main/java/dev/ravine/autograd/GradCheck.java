package dev.ravine.autograd;

import dev.ravine.tensor.Rng;
import dev.ravine.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Compares autograd's gradients with finite differences. The scalar probed is L(x) = sum_i w_i f(x)_i for fixed
 * random weights w, accumulated in double. Each partial derivative is a central difference refined by Richardson
 * extrapolation, D = (4 D(h/2) - D(h)) / 3, whose truncation error is O(h^4); that allows a step h large enough that
 * float32 rounding in f (the engine computes in float32) stays far below the tolerance.
 */
public final class GradCheck {
    private GradCheck() {}

    /** The worst disagreement found, and where. */
    public record Result(boolean passed, double worstError, String worstPlace, int checked) {
        @Override
        public String toString() {
            return (passed ? "passed" : "FAILED") + ": " + checked + " partials, worst error " + worstError + " at " + worstPlace;
        }
    }

    /**
     * @param f the function under test; it must be deterministic (no dropout) and is called many times
     * @param inputs leaves that require grad; their values are perturbed in place and restored
     * @param maxPerInput at most this many elements of each input are probed (chosen at random), to keep checks fast
     */
    public static Result check(Function<List<Tensor>, Tensor> f, List<Tensor> inputs, double h, double tolerance, int maxPerInput, long seed) {
        Rng rng = new Rng(seed);
        Tensor probe = f.apply(inputs);
        float[] weights = new float[probe.numel()];
        for (int i = 0; i < weights.length; i++) weights[i] = (float) (rng.nextDouble() * 2 - 1);
        Tensor w = Tensor.of(weights, probe.shape());
        List<Tensor> analytic = Autograd.grad(probe.mul(w).sum(), inputs, null, false);

        double worst = 0;
        String worstPlace = "nowhere";
        int checked = 0;
        boolean passed = true;
        for (int t = 0; t < inputs.size(); t++) {
            Tensor x = inputs.get(t);
            float[] values = x.storage();
            float[] grad = analytic.get(t).values();
            for (int index : probeIndices(values.length, maxPerInput, rng)) {
                double numeric = richardson(f, inputs, w, values, index, h);
                double error = Math.abs(numeric - grad[index]) / (1 + Math.abs(numeric));
                checked++;
                if (error > worst) {
                    worst = error;
                    worstPlace = "input " + t + " element " + index + " (autograd " + grad[index] + ", numeric " + numeric + ")";
                }
                if (!(error <= tolerance)) passed = false;
            }
        }
        return new Result(passed, worst, worstPlace, checked);
    }

    /** Defaults that suit float32 functions of values of order 1. */
    public static Result check(Function<List<Tensor>, Tensor> f, List<Tensor> inputs) {
        return check(f, inputs, 1e-2, 2e-3, 64, 1234);
    }

    private static double richardson(Function<List<Tensor>, Tensor> f, List<Tensor> inputs, Tensor w, float[] values, int index, double h) {
        double full = central(f, inputs, w, values, index, h);
        double half = central(f, inputs, w, values, index, h / 2);
        return (4 * half - full) / 3;
    }

    private static double central(Function<List<Tensor>, Tensor> f, List<Tensor> inputs, Tensor w, float[] values, int index, double h) {
        float original = values[index];
        // The actual step is what float32 can represent, so divide by that, not by h.
        float plus = (float) (original + h), minus = (float) (original - h);
        values[index] = plus;
        double up = weightedSum(f, inputs, w);
        values[index] = minus;
        double down = weightedSum(f, inputs, w);
        values[index] = original;
        return (up - down) / ((double) plus - (double) minus);
    }

    private static double weightedSum(Function<List<Tensor>, Tensor> f, List<Tensor> inputs, Tensor w) {
        try (var scope = GradMode.noGrad()) {
            float[] out = f.apply(inputs).values();
            float[] wv = w.values();
            double s = 0;
            for (int i = 0; i < out.length; i++) s += (double) out[i] * wv[i];
            return s;
        }
    }

    private static List<Integer> probeIndices(int n, int max, Rng rng) {
        List<Integer> all = new ArrayList<>();
        if (n <= max) {
            for (int i = 0; i < n; i++) all.add(i);
            return all;
        }
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) perm[i] = i;
        rng.shuffle(perm);
        for (int i = 0; i < max; i++) all.add(perm[i]);
        return all;
    }
}
