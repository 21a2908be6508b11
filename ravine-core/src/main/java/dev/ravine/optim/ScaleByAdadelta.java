package dev.ravine.optim;

import java.util.List;

/**
 * Adadelta (Zeiler, 2012) in torch.optim.Adadelta's form: v = rho v + (1 - rho) g^2; delta = sqrt(u + eps) /
 * sqrt(v + eps) * g; u = rho u + (1 - rho) delta^2; the update is delta (the learning rate, 1.0 by default, is a
 * later link).
 */
public record ScaleByAdadelta(double rho, double eps) implements DiagonalPreconditioner {
    public ScaleByAdadelta {
        if (!(rho >= 0 && rho <= 1)) throw new IllegalArgumentException("rho must be in [0, 1], got " + rho);
        HyperParameters.requireNonNegative("eps", eps);
    }


    @Override
    public TransformState init(List<float[]> params) {
        return TwoMoments.zeros("square_avg", "acc_delta", params);
    }

    @Override
    public void update(float[][] updates, TransformState state, float[][] params, StepContext context) {
        TwoMoments s = (TwoMoments) state;
        float r = (float) rho, oneMinusR = (float) (1 - rho), e = (float) eps;
        for (int p = 0; p < updates.length; p++) {
            if (!context.isActive(p)) continue;
            s.count()[p]++;
            float[] g = updates[p], v = s.first()[p], u = s.second()[p];
            for (int i = 0; i < g.length; i++) {
                float gi = g[i];
                v[i] = v[i] * r + oneMinusR * gi * gi;
                float std = (float) Math.sqrt(v[i] + e);
                float delta = (float) Math.sqrt(u[i] + e) / std * gi;
                u[i] = u[i] * r + oneMinusR * delta * delta;
                g[i] = delta;
            }
        }
    }

    /** P = sqrt(v + eps) / sqrt(u + eps): the running squared gradients over the running squared updates. */
    @Override
    public Diagonal diagonal(TransformState state, int param) {
        TwoMoments s = (TwoMoments) state;
        if (s.count()[param] == 0) return null;
        float[] v = s.first()[param], u = s.second()[param];
        return new DiagonalView(v.length, i -> Math.sqrt(v[i] + eps) / Math.sqrt(u[i] + eps), i -> v[i]);
    }

    @Override
    public String describe() {
        return "adadelta(rho " + rho + ", eps " + eps + ")";
    }
}
