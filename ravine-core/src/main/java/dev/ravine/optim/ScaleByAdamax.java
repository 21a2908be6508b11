package dev.ravine.optim;

import java.util.List;

/**
 * AdaMax (Kingma and Ba, 2015, section 7) in torch.optim.Adamax's form: m = beta1 m + (1 - beta1) g;
 * u = max(beta2 u, |g| + eps); update = m / u / (1 - beta1^t), t the parameter's own step count.
 */
public record ScaleByAdamax(double beta1, double beta2, double eps, MomentumSchedule beta1Cycle) implements DiagonalPreconditioner {
    /** beta1 constant. */
    public ScaleByAdamax(double beta1, double beta2, double eps) {
        this(beta1, beta2, eps, null);
    }

    public ScaleByAdamax {
        HyperParameters.requireDecay("beta1", beta1);
        HyperParameters.requireDecay("beta2", beta2);
        HyperParameters.requireNonNegative("eps", eps);
    }


    @Override
    public TransformState init(List<float[]> params) {
        return TwoMoments.zeros("exp_avg", "exp_inf", params);
    }

    @Override
    public void update(float[][] updates, TransformState state, float[][] params, StepContext context) {
        double beta1 = beta1At(context); // a schedule's cycle_momentum sets it each step, as torch sets betas[0]
        TwoMoments s = (TwoMoments) state;
        float b1 = (float) beta1, b2 = (float) beta2, oneMinusB1 = (float) (1 - beta1), e = (float) eps;
        for (int p = 0; p < updates.length; p++) {
            if (!context.isActive(p)) continue;
            long t = ++s.count()[p];
            float invBc1 = (float) (1 / (1 - Math.pow(beta1, t)));
            float[] g = updates[p], m = s.first()[p], u = s.second()[p];
            for (int i = 0; i < g.length; i++) {
                float gi = g[i];
                m[i] = m[i] * b1 + oneMinusB1 * gi;
                u[i] = Math.max(u[i] * b2, Math.abs(gi) + e);
                g[i] = m[i] / u[i] * invBc1;
            }
        }
    }

    /** P = u, the running infinity norm (eps included); its square stands for the second moment. */
    @Override
    public Diagonal diagonal(TransformState state, int param) {
        TwoMoments s = (TwoMoments) state;
        if (s.count()[param] == 0) return null;
        float[] u = s.second()[param];
        return new DiagonalView(u.length, i -> u[i], i -> (double) u[i] * u[i]);
    }

    @Override
    public String describe() {
        return "adamax(" + beta1 + ", " + beta2 + ", eps " + eps + ")";
    }

    /** This step's beta1: the cycle's when a schedule cycles it, else the constant. */
    private double beta1At(StepContext context) {
        return beta1Cycle == null ? beta1 : beta1Cycle.momentum(context.step());
    }
}
