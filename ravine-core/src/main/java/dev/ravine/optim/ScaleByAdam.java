package dev.ravine.optim;

import dev.ravine.kernel.AdamKernel;
import java.util.List;
import java.util.Map;

/**
 * Adam's preconditioning (Kingma and Ba, 2015) in torch.optim.Adam's exact form:
 * m = lerp(m, g, 1 - beta1); v = beta2 v + (1 - beta2) g^2; update = (m / (1 - beta1^t)) / (sqrt(v) / sqrt(1 - beta2^t) + eps).
 * With AMSGrad the running maximum of v is used in the denominator. The learning rate is a later link.
 */
public record ScaleByAdam(double beta1, double beta2, double eps, boolean amsgrad, MomentumSchedule beta1Cycle) implements DiagonalPreconditioner {
    /** beta1 constant. */
    public ScaleByAdam(double beta1, double beta2, double eps, boolean amsgrad) {
        this(beta1, beta2, eps, amsgrad, null);
    }

    public ScaleByAdam {
        HyperParameters.requireDecay("beta1", beta1);
        HyperParameters.requireDecay("beta2", beta2);
        HyperParameters.requireNonNegative("eps", eps);
    }

    public record State(float[][] mu, float[][] nu, float[][] nuMax, long[] count) implements TransformState {
        @Override
        public Map<String, float[][]> arrays() {
            return StateArrays.named("exp_avg", mu, "exp_avg_sq", nu, "max_exp_avg_sq", nuMax);
        }

        @Override
        public Map<String, long[]> counters() {
            return Map.of("step", count);
        }
    }

    @Override
    public TransformState init(List<float[]> params) {
        return new State(StateArrays.zerosLike(params), StateArrays.zerosLike(params), amsgrad ? StateArrays.zerosLike(params) : null,
                new long[params.size()]);
    }

    @Override
    public void update(float[][] updates, TransformState state, float[][] params, StepContext context) {
        State s = (State) state;
        for (int p = 0; p < updates.length; p++) {
            if (!context.isActive(p)) continue;
            AdamKernel.update(updates[p], s.mu[p], s.nu[p], amsgrad ? s.nuMax[p] : null, advance(s, p, context));
        }
    }

    /**
     * Counts a step of parameter {@code p} and returns that step's constants. Each parameter counts its own steps
     * (torch.optim.Adam keeps state['step'] per parameter).
     */
    AdamKernel.Constants advance(State s, int p, StepContext context) {
        double beta1 = beta1At(context); // a schedule's cycle_momentum sets it each step, as torch sets betas[0]
        long t = ++s.count[p];
        // Bias corrections are computed in double and rounded once, as PyTorch computes them in Python floats.
        float invBc1 = (float) (1 / (1 - Math.pow(beta1, t)));
        float bc2Sqrt = (float) Math.sqrt(1 - Math.pow(beta2, t));
        return new AdamKernel.Constants((float) beta1, (float) beta2, (float) (1 - beta1), (float) (1 - beta2), invBc1, bc2Sqrt, (float) eps);
    }

    /** P = sqrt(v_hat) + eps with v_hat = v / (1 - beta2^t) (AMSGrad: the running maximum of v), t the parameter's steps. */
    @Override
    public Diagonal diagonal(TransformState state, int param) {
        State s = (State) state;
        return DiagonalView.adam(amsgrad ? s.nuMax[param] : s.nu[param], s.count[param], beta2, eps);
    }

    @Override
    public String describe() {
        return (amsgrad ? "amsgrad(" : "adam(") + beta1 + ", " + beta2 + ", eps " + eps + ")";
    }

    /** This step's beta1: the cycle's when a schedule cycles it, else the constant. */
    private double beta1At(StepContext context) {
        return beta1Cycle == null ? beta1 : beta1Cycle.momentum(context.step());
    }
}
