package dev.ravine.doctor.instrument;

/**
 * One layer's output at one reading. {@code deadFraction}: for ReLU layers, the fraction of units that were zero for
 * every sample of the batch; {@code saturatedFraction}: for sigmoid/tanh, the fraction of outputs within 1% of an
 * asymptote, where the derivative almost vanishes. {@code gradNorm}: L2 norm of the loss gradient with respect to
 * this output; {@code gsc}: the gradient scale coefficient relative to the network's output (see
 * {@link GradientScaleCoefficient}); {@code timeGradientRatio}: for a recurrent layer, ||dL/dh_1|| / ||dL/dh_T|| of its
 * first layer's hidden states (how much error signal reaches the start of the sequence; see
 * {@link ThroughTimeTrace}). NaN where not applicable.
 */
public record ActivationReading(String module, String kind, double mean, double std, double deadFraction, double saturatedFraction,
                                int nonFinite, double gradNorm, double gsc, double timeGradientRatio) {
    /** A reading of a layer that is not recurrent (no through-time ratio). */
    public ActivationReading(String module, String kind, double mean, double std, double deadFraction, double saturatedFraction,
                             int nonFinite, double gradNorm, double gsc) {
        this(module, kind, mean, std, deadFraction, saturatedFraction, nonFinite, gradNorm, gsc, Double.NaN);
    }
}
