package dev.ravine.doctor.instrument;

/**
 * The gradient scale coefficient of Philipp, Song and Carbonell, "The exploding gradient problem demystified"
 * (2018): how much a relative change of layer l's output is amplified at the network's output,
 * GSC(l) = ||J||_qm * ||f_l|| / ||f_L|| with J = df_L/df_l (quadratic-mean operator norm). Estimated from the
 * gradients the backward pass already computed: since dE/df_l = J^T dE/df_L, ||J|| is about ||dE/df_l|| / ||dE/df_L||,
 * so GSC(l) ~ (||dE/df_l|| * ||f_l||) / (||dE/df_L|| * ||f_L||): dimensionless and invariant to rescaling the loss.
 * It is 1 at the output; values growing by orders of magnitude toward the input mean exploding gradients (the
 * paper's diagnosis), values collapsing toward 0 mean vanishing ones.
 */
public final class GradientScaleCoefficient {
    private GradientScaleCoefficient() {}

    public static double of(double gradNorm, double outputNorm, double topGradNorm, double topOutputNorm) {
        double denominator = topGradNorm * topOutputNorm;
        if (!(denominator > 0)) return Double.NaN;
        return gradNorm * outputNorm / denominator;
    }
}
