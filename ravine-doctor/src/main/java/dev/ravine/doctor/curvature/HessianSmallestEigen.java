package dev.ravine.doctor.curvature;

import dev.ravine.linalg.DenseVectors;
import dev.ravine.linalg.SymmetricTridiagonalEigen;

/**
 * The Hessian's smallest (most negative) eigenvalue and its eigenvector: at a critical point a negative value means
 * a saddle, and the eigenvector is the direction of escape (note 001: mixed-sign eigenvalues = saddle point).
 *
 * <p>Two methods. {@link #lanczos} is the default: k Hessian-vector products give a Krylov space whose smallest Ritz
 * value converges to lambda_min about as fast as the top one converges to lambda_max (Kaniel-Paige-Saad bounds), far
 * faster than power iteration. {@link #shiftedPowerIteration} runs power iteration on H - sigma I with
 * sigma >= lambda_max (the top eigenvalue): its eigenvalues are all <= 0 and the largest in magnitude is
 * lambda_min - sigma; simple, but its rate (lambda_2nd-smallest - sigma) / (lambda_min - sigma) is slow when the spectrum
 * is wide.
 */
public final class HessianSmallestEigen {
    private HessianSmallestEigen() {}

    /** Smallest Ritz value of {@code options.steps()} Lanczos steps, its Ritz vector, and the true residual. */
    public static CurvatureReport lanczos(SymmetricOperator hessian, LanczosOptions options) {
        LanczosIteration krylov = new LanczosIteration(hessian, options.steps(), options.seed());
        SymmetricTridiagonalEigen ritz = SymmetricTridiagonalEigen.of(krylov.alpha, krylov.beta);
        int smallest = ritz.n() - 1; // largest first
        double theta = ritz.values()[smallest];
        double[] y = krylov.ritzVector(ritz.vector(smallest));
        // One more product measures the residual honestly, instead of the beta_k |s_k| estimate that assumes exact
        // orthogonality of the basis.
        double residual = DenseVectors.residual(hessian.apply(y), theta, y);
        double scale = Math.max(Math.abs(ritz.values()[smallest]), Math.abs(ritz.values()[0]));
        boolean converged = residual <= options.residualTolerance() * scale;
        return new CurvatureReport(theta, y, krylov.steps, krylov.steps + 1L, converged, residual);
    }

    /**
     * Power iteration on H - sigma I.
     *
     * @param sigma an upper bound of the spectrum, typically {@link HessianTopEigen#largest}'s value
     */
    public static CurvatureReport shiftedPowerIteration(SymmetricOperator hessian, double sigma, PowerIterationOptions options) {
        return PowerIteration.run(hessian, sigma, options);
    }
}
