package dev.ravine.doctor.curvature;

import dev.ravine.linalg.SymmetricTridiagonalEigen;

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
        return largest(hessian, options, null);
    }

    /** {@link #largest(SymmetricOperator, PowerIterationOptions)} started from {@code start} (null: random). */
    public static CurvatureReport largest(SymmetricOperator hessian, PowerIterationOptions options, double[] start) {
        CurvatureReport dominant = PowerIteration.run(hessian, 0, options, start);
        if (dominant.value() >= 0) return dominant;
        CurvatureReport shifted = PowerIteration.run(hessian, dominant.value(), options, start);
        return new CurvatureReport(shifted.value(), shifted.vector(), dominant.iterations() + shifted.iterations(),
                dominant.hvps() + shifted.hvps(), dominant.converged() && shifted.converged(), shifted.residual());
    }

    /**
     * The largest Ritz value of {@code options.steps()} Lanczos steps started from {@code start} (null: random), and
     * its Ritz vector: the Krylov space of k products contains the k-th power iterate, so this is never further from
     * lambda_max than power iteration with the same products, and far closer when the top eigenvalues are close (the
     * usual case in a network's Hessian). Costs exactly the Lanczos steps taken; {@code residual} is the Lanczos
     * estimate beta_k |s_k| (no extra product), {@code converged} compares it with the options' tolerance. Uses the
     * plain three-term recurrence (see {@link LanczosIteration}): meant for a few steps on a large model.
     */
    public static CurvatureReport lanczos(SymmetricOperator hessian, LanczosOptions options, double[] start) {
        LanczosIteration krylov = new LanczosIteration(hessian, options.steps(), options.seed(), start, false);
        SymmetricTridiagonalEigen ritz = SymmetricTridiagonalEigen.of(krylov.alpha, krylov.beta);
        double theta = ritz.values()[0]; // largest first
        double[] s = ritz.vector(0);
        double[] y = krylov.ritzVector(s);
        double lastBeta = krylov.lastBeta;
        double residual = Math.abs(lastBeta * s[krylov.steps - 1]);
        boolean converged = residual <= options.residualTolerance() * Math.max(Math.abs(theta), Math.abs(ritz.values()[ritz.n() - 1]));
        return new CurvatureReport(theta, y, krylov.steps, krylov.steps, converged, residual);
    }
}
