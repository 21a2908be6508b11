package dev.ravine.doctor.curvature;

/**
 * The Hessian's largest eigenvalue ("sharpness", Cohen et al. ICLR 2021; Cockpit's HessMaxEV) and its eigenvector,
 * by power iteration on Hessian-vector products.
 *
 * <p>Plain power iteration finds the eigenvalue of largest magnitude. Near a saddle or a maximum that one can be
 * negative; {@link #largest} then reruns on H - mu I with mu that negative eigenvalue: every eigenvalue of the
 * shifted operator is >= 0 (mu is within tolerance of the most negative eigenvalue, and |mu| bounds them all), so its
 * dominant eigenvalue is lambda_max - mu, i.e. the algebraically largest eigenvalue of H.
 */
public final class HessianTopEigen {
    private HessianTopEigen() {}

    /** The eigenvalue of largest magnitude (may be negative) and its eigenvector. */
    public static CurvatureReport dominant(SymmetricOperator hessian, PowerIterationOptions options) {
        return PowerIteration.run(hessian, 0, options);
    }

    /** The algebraically largest eigenvalue; costs a second, shifted run only when the dominant one is negative. */
    public static CurvatureReport largest(SymmetricOperator hessian, PowerIterationOptions options) {
        CurvatureReport dominant = dominant(hessian, options);
        if (dominant.value() >= 0) return dominant;
        CurvatureReport shifted = PowerIteration.run(hessian, dominant.value(), options);
        return new CurvatureReport(shifted.value(), shifted.vector(), dominant.iterations() + shifted.iterations(),
                dominant.hvps() + shifted.hvps(), dominant.converged() && shifted.converged(), shifted.residual());
    }
}
