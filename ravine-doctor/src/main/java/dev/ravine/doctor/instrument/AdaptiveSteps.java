package dev.ravine.doctor.instrument;

import dev.ravine.doctor.curvature.StabilityRule;
import dev.ravine.optim.Optimizer;
import java.util.Arrays;
import java.util.Map;

/** Reads {@link AdaptiveStepReading}s from an Adam optimizer's state (plain Adam, AdamW, AMSGrad: a ScaleByAdam link). */
public final class AdaptiveSteps {
    /** Coordinates sampled per reading: enough for a 1% quantile, cheap next to a training step. */
    public static final int SAMPLE = 4096;

    private AdaptiveSteps() {}

    /** The reading, or null when the optimizer has no Adam link or has not stepped yet. */
    public static AdaptiveStepReading read(Optimizer optimizer, StabilityRule rule) {
        if (rule.kind() != StabilityRule.Kind.ADAM) return null;
        Map<String, float[][]> arrays = optimizer.state().arrays();
        float[][] v = arrays.get(rule.adamLink() + (rule.adam().amsgrad() ? "max_exp_avg_sq" : "exp_avg_sq"));
        long[] steps = optimizer.state().counters().get(rule.adamLink() + "step");
        if (v == null || steps == null) return null;
        long total = 0;
        for (int p = 0; p < v.length; p++) if (steps[p] > 0) total += v[p].length;
        if (total == 0) return null;
        long stride = Math.max(1, total / SAMPLE);
        double lr = optimizer.learningRate(), eps = rule.adam().eps(), beta2 = rule.adam().beta2();
        double[] vHat = new double[(int) Math.min(total, SAMPLE + 1)];
        int n = 0;
        long index = 0;
        for (int p = 0; p < v.length && n < vHat.length; p++) {
            if (steps[p] == 0) continue; // a parameter that never had a gradient has no v yet
            double correction = 1 - Math.pow(beta2, steps[p]);
            float[] vp = v[p];
            // the first sampled coordinate of this parameter continues the global stride
            long first = (stride - index % stride) % stride;
            for (long i = first; i < vp.length && n < vHat.length; i += stride) vHat[n++] = vp[(int) i] / correction;
            index += vp.length;
        }
        double[] sample = Arrays.copyOf(vHat, n);
        Arrays.sort(sample);
        // the effective step falls as v grows: its quantiles are the mirrored quantiles of v_hat
        double vMedian = quantile(sample, 0.5), vMin = sample[0];
        return new AdaptiveStepReading(step(lr, quantile(sample, 0.5), eps), step(lr, quantile(sample, 0.01), eps), step(lr, vMin, eps),
                vMedian, vMin, n);
    }

    private static double step(double lr, double vHat, double eps) {
        return lr / (Math.sqrt(Math.max(vHat, 0)) + eps);
    }

    /** The q-quantile of sorted values (nearest rank). */
    static double quantile(double[] sorted, double q) {
        int i = (int) Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))));
        return sorted[i];
    }
}
