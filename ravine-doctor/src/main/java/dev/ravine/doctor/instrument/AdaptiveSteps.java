package dev.ravine.doctor.instrument;

import dev.ravine.doctor.curvature.StabilityRule;
import dev.ravine.optim.DiagonalPreconditioner;
import dev.ravine.optim.Optimizer;
import java.util.List;

/**
 * Reads {@link AdaptiveStepReading}s from an adaptive optimizer's state: the link that preconditions its steps
 * ({@link DiagonalPreconditioner}: Adam, AdamW, AMSGrad, NAdam, RAdam, AdaMax, RMSprop, Adagrad, Adadelta) gives
 * each coordinate's P and second-moment estimate, and the effective step is lr / P (Adam: lr / (sqrt(v_hat) + eps)).
 */
public final class AdaptiveSteps {
    /** Coordinates sampled per reading: enough for a 1% quantile, cheap next to a training step. */
    public static final int SAMPLE = 4096;

    private AdaptiveSteps() {}

    /** The reading, or null when the optimizer's steps are not preconditioned or it has not stepped yet. */
    public static AdaptiveStepReading read(Optimizer optimizer, StabilityRule rule) {
        List<DiagonalPreconditioner.Diagonal> diagonals = rule.diagonals(optimizer);
        if (diagonals == null) return null;
        long total = 0;
        for (DiagonalPreconditioner.Diagonal d : diagonals) if (d != null) total += d.size();
        if (total == 0) return null;
        long stride = Math.max(1, total / SAMPLE);
        double lr = optimizer.learningRate();
        int capacity = (int) Math.min(total, SAMPLE + 1);
        double[] vHat = new double[capacity], p = new double[capacity];
        int n = 0;
        long index = 0;
        for (DiagonalPreconditioner.Diagonal d : diagonals) {
            if (n >= capacity) break;
            if (d == null) continue; // a parameter that never had a gradient has no statistics yet
            // the first sampled coordinate of this parameter continues the global stride
            long first = (stride - index % stride) % stride;
            for (long i = first; i < d.size() && n < capacity; i += stride) {
                vHat[n] = d.secondMoment((int) i);
                p[n++] = d.at((int) i);
            }
            index += d.size();
        }
        // the effective step lr / P falls as P grows: its quantiles are the mirrored quantiles of P
        return new AdaptiveStepReading(lr / quantile(p, n, 0.5), lr / quantile(p, n, 0.01), lr / OrderStatistic.min(p, n),
                quantile(vHat, n, 0.5), OrderStatistic.min(vHat, n), n);
    }

    /** The q-quantile (nearest rank) of the first n values, which it reorders. */
    static double quantile(double[] values, int n, double q) {
        int i = (int) Math.min(n - 1, Math.max(0, Math.round(q * (n - 1))));
        return OrderStatistic.kth(values, n, i);
    }
}
