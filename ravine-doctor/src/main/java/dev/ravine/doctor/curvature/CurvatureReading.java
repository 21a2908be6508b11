package dev.ravine.doctor.curvature;

/**
 * One curvature reading taken during training on the fixed probe batch: the Hessian's top eigenvalue (sharpness) and
 * the edge-of-stability threshold it is compared with at the current learning rate, and for an adaptive optimizer the top eigenvalue
 * of the preconditioned Hessian P^-1 H with its own threshold (see {@link StabilityRule}). NaN where a value does not
 * apply (no threshold for this optimizer, no preconditioner) or could not be computed (non-finite weights).
 *
 * @param hvps Hessian-vector products this reading cost
 */
public record CurvatureReading(long step, double sharpness, double threshold, double preconditionedSharpness,
                               double preconditionedThreshold, long hvps) {
    /** sharpness / threshold: about 1 at the edge of stability, above 1 unstable; NaN without a threshold. */
    public double ratio() {
        return sharpness / threshold;
    }

    /** preconditioned sharpness / its threshold; NaN unless both are known. */
    public double preconditionedRatio() {
        return preconditionedSharpness / preconditionedThreshold;
    }

    /** The larger of the two ratios that are known (NaN when neither is). */
    public double worstRatio() {
        double a = ratio(), b = preconditionedRatio();
        if (Double.isNaN(a)) return b;
        if (Double.isNaN(b)) return a;
        return Math.max(a, b);
    }
}
