package dev.ravine.doctor.curvature;

import dev.ravine.linalg.DenseVectors;
import dev.ravine.tensor.Rng;
import java.util.ArrayList;
import java.util.List;

/**
 * k steps of the Lanczos process (Lanczos 1950) on a symmetric operator: an orthonormal Krylov basis Q and the
 * tridiagonal T = Q^T A Q, whose eigenvalues (Ritz values) approximate A's extreme eigenvalues first. By default each
 * new vector is re-orthogonalized against the whole basis, twice ("twice is enough", Parlett), because in floating
 * point the three-term recurrence alone loses orthogonality and produces spurious copies of converged Ritz values.
 * The cheap form ({@code fullReorthogonalization} false) orthogonalizes against the last two vectors only, the plain
 * recurrence: for a handful of steps and the top Ritz value only (spurious copies duplicate a converged value, they do
 * not move it) it gives the same answer at a fraction of the vector work, which dominates for large models.
 */
final class LanczosIteration {
    final List<double[]> basis = new ArrayList<>();
    final double[] alpha;
    final double[] beta;
    final int steps;
    /** The norm of the last residual direction (beta_k): beta_k |s_k| estimates a Ritz pair's residual for free. */
    final double lastBeta;

    /** Below this relative size a new Krylov direction means the space is invariant: T's spectrum is exact. */
    private static final double BREAKDOWN = 1e-10;

    LanczosIteration(SymmetricOperator a, int maxSteps, long seed) {
        this(a, maxSteps, seed, null, true);
    }

    /** @param start the first basis vector (normalized here), e.g. a previous Ritz vector; null for a random one */
    LanczosIteration(SymmetricOperator a, int maxSteps, long seed, double[] start, boolean fullReorthogonalization) {
        int k = Math.min(maxSteps, a.dimension());
        double[] alphas = new double[k];
        double[] betas = new double[k];
        boolean usable = start != null && start.length == a.dimension() && DenseVectors.norm(start) > 0;
        double[] q = usable ? DenseVectors.normalized(start) : RandomVectors.unit(a.dimension(), new Rng(seed));
        double scale = 0;
        double b = 0;
        int taken = 0;
        while (taken < k) {
            basis.add(q);
            double[] w = a.apply(q);
            alphas[taken] = DenseVectors.dot(q, w);
            taken++;
            if (fullReorthogonalization) {
                orthogonalize(w, basis);
                orthogonalize(w, basis);
            } else {
                orthogonalize(w, basis.subList(Math.max(0, basis.size() - 2), basis.size()));
            }
            b = DenseVectors.norm(w);
            scale = Math.max(scale, Math.abs(alphas[taken - 1]) + b);
            if (taken == k || b <= BREAKDOWN * scale) break;
            betas[taken - 1] = b;
            q = DenseVectors.normalized(w);
        }
        this.steps = taken;
        this.lastBeta = b;
        this.alpha = java.util.Arrays.copyOf(alphas, taken);
        this.beta = java.util.Arrays.copyOf(betas, Math.max(0, taken - 1));
    }

    /** Removes w's components along the given basis vectors (classical Gram-Schmidt). */
    private static void orthogonalize(double[] w, List<double[]> against) {
        for (double[] q : against) DenseVectors.addScaled(w, -DenseVectors.dot(q, w), q);
    }

    /** Q s: the Ritz vector of T's eigenvector s. */
    double[] ritzVector(double[] tVector) {
        double[] y = new double[basis.get(0).length];
        for (int j = 0; j < steps; j++) DenseVectors.addScaled(y, tVector[j], basis.get(j));
        return DenseVectors.normalized(y);
    }
}
