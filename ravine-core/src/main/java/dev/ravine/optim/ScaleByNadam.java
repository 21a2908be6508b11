package dev.ravine.optim;

import java.util.List;
import java.util.Map;

/**
 * NAdam (Dozat, 2016) in torch.optim.NAdam's form (torch 1.13): mu_t = beta1 (1 - 0.5 * 0.96^(t psi)) with psi the
 * momentum decay; the running product of the mu_t is kept as a float32 per parameter like torch's state;
 * m and v as in Adam; denom = sqrt(v / (1 - beta2^t)) + eps; update = (1 - mu_t) / (1 - prod) g / denom +
 * mu_{t+1} / (1 - prod_next) m / denom. As torch 1.13 computes it, prod_next = prod * mu_t * mu_{t+1} (mu_t counted
 * twice); kept for exact agreement.
 */
public record ScaleByNadam(double beta1, double beta2, double eps, double momentumDecay, MomentumSchedule beta1Cycle) implements DiagonalPreconditioner {
    /** beta1 constant. */
    public ScaleByNadam(double beta1, double beta2, double eps, double momentumDecay) {
        this(beta1, beta2, eps, momentumDecay, null);
    }

    public ScaleByNadam {
        HyperParameters.requireDecay("beta1", beta1);
        HyperParameters.requireDecay("beta2", beta2);
        HyperParameters.requireNonNegative("eps", eps);
        HyperParameters.requireNonNegative("momentum_decay", momentumDecay);
    }

    /** muProduct holds one float per parameter (torch's state['mu_product'], a float32 scalar tensor). */
    public record State(float[][] mu, float[][] nu, float[][] muProduct, long[] count) implements TransformState {
        @Override
        public Map<String, float[][]> arrays() {
            return StateArrays.named("exp_avg", mu, "exp_avg_sq", nu, "mu_product", muProduct);
        }

        @Override
        public Map<String, long[]> counters() {
            return Map.of("step", count);
        }
    }

    @Override
    public TransformState init(List<float[]> params) {
        float[][] prod = new float[params.size()][];
        for (int i = 0; i < prod.length; i++) prod[i] = new float[] {1f};
        return new State(StateArrays.zerosLike(params), StateArrays.zerosLike(params), prod, new long[params.size()]);
    }

    @Override
    public void update(float[][] updates, TransformState state, float[][] params, StepContext context) {
        double beta1 = beta1At(context); // a schedule's cycle_momentum sets it each step, as torch sets betas[0]
        State s = (State) state;
        float b1 = (float) beta1, b2 = (float) beta2, oneMinusB1 = (float) (1 - beta1), oneMinusB2 = (float) (1 - beta2);
        float e = (float) eps;
        for (int p = 0; p < updates.length; p++) {
            if (!context.isActive(p)) continue;
            long t = ++s.count[p];
            float bc2 = (float) (1 - Math.pow(beta2, t));
            double mu = beta1 * (1 - 0.5 * Math.pow(0.96, t * momentumDecay));
            double muNext = beta1 * (1 - 0.5 * Math.pow(0.96, (t + 1) * momentumDecay));
            float prod = s.muProduct[p][0] * (float) mu;
            s.muProduct[p][0] = prod;
            float prodNext = prod * (float) mu * (float) muNext;
            float cGrad = (float) ((1 - mu) / (1 - prod));
            float cAvg = (float) (muNext / (1 - prodNext));
            float[] g = updates[p], m = s.mu[p], v = s.nu[p];
            for (int i = 0; i < g.length; i++) {
                float gi = g[i];
                m[i] = m[i] * b1 + oneMinusB1 * gi;
                v[i] = v[i] * b2 + oneMinusB2 * gi * gi;
                float denom = (float) Math.sqrt(v[i] / bc2) + e;
                g[i] = cGrad * (gi / denom) + cAvg * (m[i] / denom);
            }
        }
    }

    /** P = sqrt(v / (1 - beta2^t)) + eps, as Adam's (the Nesterov weighting acts on the numerator). */
    @Override
    public Diagonal diagonal(TransformState state, int param) {
        State s = (State) state;
        return DiagonalView.adam(s.nu[param], s.count[param], beta2, eps);
    }

    @Override
    public String describe() {
        return "nadam(" + beta1 + ", " + beta2 + ", eps " + eps + ", momentum_decay " + momentumDecay + ")";
    }

    /** This step's beta1: the cycle's when a schedule cycles it, else the constant. */
    private double beta1At(StepContext context) {
        return beta1Cycle == null ? beta1 : beta1Cycle.momentum(context.step());
    }
}
