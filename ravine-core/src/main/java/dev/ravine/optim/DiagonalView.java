package dev.ravine.optim;

import java.util.function.IntToDoubleFunction;

/** A {@link DiagonalPreconditioner.Diagonal} computed on demand from a link's state arrays (nothing copied). */
record DiagonalView(int size, IntToDoubleFunction p, IntToDoubleFunction v) implements DiagonalPreconditioner.Diagonal {
    /** Adam's form: v_hat = v / (1 - beta2^t) and P = sqrt(v_hat) + eps after t steps; null at t = 0 (no v yet). */
    static DiagonalView adam(float[] v, long t, double beta2, double eps) {
        if (t == 0) return null;
        double correction = 1 - Math.pow(beta2, t);
        return new DiagonalView(v.length, i -> Math.sqrt(v[i] / correction) + eps, i -> v[i] / correction);
    }

    @Override
    public double at(int i) {
        return p.applyAsDouble(i);
    }

    @Override
    public double secondMoment(int i) {
        return v.applyAsDouble(i);
    }
}
