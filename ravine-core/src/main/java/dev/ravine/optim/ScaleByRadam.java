package dev.ravine.optim;

import java.util.List;

/**
 * RAdam (Liu et al., 2020) in torch.optim.RAdam's form: m and v as in Adam (with add, not lerp); with
 * rho_inf = 2 / (1 - beta2) - 1 and rho_t = rho_inf - 2 t beta2^t / (1 - beta2^t), the update is
 * m / (1 - beta1^t) * r_t * sqrt(1 - beta2^t) / (sqrt(v) + eps) when rho_t > 5 (r_t the variance rectification),
 * else the bias-corrected m alone (SGD with momentum). t is the parameter's own step count.
 */
public record ScaleByRadam(double beta1, double beta2, double eps, MomentumSchedule beta1Cycle) implements DiagonalPreconditioner {
    /** beta1 constant. */
    public ScaleByRadam(double beta1, double beta2, double eps) {
        this(beta1, beta2, eps, null);
    }

    public ScaleByRadam {
        HyperParameters.requireDecay("beta1", beta1);
        HyperParameters.requireDecay("beta2", beta2);
        HyperParameters.requireNonNegative("eps", eps);
    }


    @Override
    public TransformState init(List<float[]> params) {
        return TwoMoments.zeros("exp_avg", "exp_avg_sq", params);
    }

    @Override
    public void update(float[][] updates, TransformState state, float[][] params, StepContext context) {
        double beta1 = beta1At(context); // a schedule's cycle_momentum sets it each step, as torch sets betas[0]
        TwoMoments s = (TwoMoments) state;
        float b1 = (float) beta1, b2 = (float) beta2, oneMinusB1 = (float) (1 - beta1), oneMinusB2 = (float) (1 - beta2);
        float e = (float) eps;
        double rhoInf = 2 / (1 - beta2) - 1;
        for (int p = 0; p < updates.length; p++) {
            if (!context.isActive(p)) continue;
            long t = ++s.count()[p];
            double bc1 = 1 - Math.pow(beta1, t), bc2 = 1 - Math.pow(beta2, t);
            double rhoT = rhoInf - 2 * t * Math.pow(beta2, t) / bc2;
            float fbc1 = (float) bc1;
            boolean rectified = rhoT > 5;
            float rect = rectified ? (float) Math.sqrt((rhoT - 4) * (rhoT - 2) * rhoInf / ((rhoInf - 4) * (rhoInf - 2) * rhoT)) : 1f;
            float sqrtBc2 = (float) Math.sqrt(bc2);
            float[] g = updates[p], m = s.first()[p], v = s.second()[p];
            for (int i = 0; i < g.length; i++) {
                float gi = g[i];
                m[i] = m[i] * b1 + oneMinusB1 * gi;
                v[i] = v[i] * b2 + oneMinusB2 * gi * gi;
                float corrected = m[i] / fbc1;
                g[i] = rectified ? corrected * (sqrtBc2 / ((float) Math.sqrt(v[i]) + e)) * rect : corrected;
            }
        }
    }

    /**
     * Rectified (rho_t > 5): P = (sqrt(v) + eps) / (sqrt(1 - beta2^t) r_t); before that the step is momentum SGD, P = 1.
     */
    @Override
    public Diagonal diagonal(TransformState state, int param) {
        TwoMoments s = (TwoMoments) state;
        long t = s.count()[param];
        if (t == 0) return null;
        float[] v = s.second()[param];
        double bc2 = 1 - Math.pow(beta2, t), rhoInf = 2 / (1 - beta2) - 1;
        double rhoT = rhoInf - 2 * t * Math.pow(beta2, t) / bc2;
        if (!(rhoT > 5)) return new DiagonalView(v.length, i -> 1.0, i -> v[i] / bc2);
        double scale = Math.sqrt(bc2) * Math.sqrt((rhoT - 4) * (rhoT - 2) * rhoInf / ((rhoInf - 4) * (rhoInf - 2) * rhoT));
        return new DiagonalView(v.length, i -> (Math.sqrt(v[i]) + eps) / scale, i -> v[i] / bc2);
    }

    @Override
    public String describe() {
        return "radam(" + beta1 + ", " + beta2 + ", eps " + eps + ")";
    }

    /** This step's beta1: the cycle's when a schedule cycles it, else the constant. */
    private double beta1At(StepContext context) {
        return beta1Cycle == null ? beta1 : beta1Cycle.momentum(context.step());
    }
}
