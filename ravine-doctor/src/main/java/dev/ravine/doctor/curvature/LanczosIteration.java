package dev.ravine.doctor.curvature;

import dev.ravine.tensor.Rng;
import java.util.ArrayList;
import java.util.List;

/**
 * k steps of the Lanczos process (Lanczos 1950) on a symmetric operator: an orthonormal Krylov basis Q and the
 * tridiagonal T = Q^T A Q, whose eigenvalues (Ritz values) approximate A's extreme eigenvalues first. Each new vector
 * is re-orthogonalized against the whole basis, twice ("twice is enough", Parlett), because in floating point the
 * three-term recurrence alone loses orthogonality and produces spurious copies of converged Ritz values.
 */
final class LanczosIteration {
    final List<double[]> basis = new ArrayList<>();
    final double[] alpha;
    final double[] beta;
    final int steps;

    /** Below this relative size a new Krylov direction means the space is invariant: T's spectrum is exact. */
    private static final double BREAKDOWN = 1e-10;

    LanczosIteration(SymmetricOperator a, int maxSteps, long seed) {
        int k = Math.min(maxSteps, a.dimension());
        double[] alphas = new double[k];
        double[] betas = new double[k];
        double[] q = DenseVectors.randomUnit(a.dimension(), new Rng(seed));
        double scale = 0;
        int taken = 0;
        while (taken < k) {
            basis.add(q);
            double[] w = a.apply(q);
            alphas[taken] = DenseVectors.dot(q, w);
            taken++;
            orthogonalize(w);
            orthogonalize(w);
            double b = DenseVectors.norm(w);
            scale = Math.max(scale, Math.abs(alphas[taken - 1]) + b);
            if (taken == k || b <= BREAKDOWN * scale) break;
            betas[taken - 1] = b;
            q = DenseVectors.normalized(w);
        }
        this.steps = taken;
        this.alpha = java.util.Arrays.copyOf(alphas, taken);
        this.beta = java.util.Arrays.copyOf(betas, Math.max(0, taken - 1));
    }

    /** Removes w's components along every basis vector (classical Gram-Schmidt; callers apply it twice). */
    private void orthogonalize(double[] w) {
        for (double[] q : basis) DenseVectors.addScaled(w, -DenseVectors.dot(q, w), q);
    }

    /** Q s: the Ritz vector of T's eigenvector s. */
    double[] ritzVector(double[][] tVectors, int column) {
        double[] y = new double[basis.get(0).length];
        for (int j = 0; j < steps; j++) DenseVectors.addScaled(y, tVectors[j][column], basis.get(j));
        return DenseVectors.normalized(y);
    }
}
