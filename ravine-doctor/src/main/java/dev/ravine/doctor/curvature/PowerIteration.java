package dev.ravine.doctor.curvature;

import dev.ravine.linalg.DenseVectors;
import dev.ravine.tensor.Rng;

/**
 * Power iteration on A - shift*I (von Mises): converges to the eigenvalue of A farthest from {@code shift}, at the
 * rate |lambda_2 - shift| / |lambda_1 - shift| per step for the vector (squared for the Rayleigh quotient). Every
 * step yields A v for the current unit v, so the Rayleigh quotient v^T A v and the residual ||A v - lambda v|| come
 * free.
 */
final class PowerIteration {
    private PowerIteration() {}

    static CurvatureReport run(SymmetricOperator a, double shift, PowerIterationOptions options) {
        return run(a, shift, options, null);
    }

    /**
     * @param start the first iterate (normalized here), e.g. the eigenvector of a previous, nearby operator: a warm
     *              start that needs a few products where a random one needs dozens; null for a random unit vector
     */
    static CurvatureReport run(SymmetricOperator a, double shift, PowerIterationOptions options, double[] start) {
        boolean usable = start != null && start.length == a.dimension() && DenseVectors.norm(start) > 0;
        double[] v = usable ? DenseVectors.normalized(start) : RandomVectors.unit(a.dimension(), new Rng(options.seed()));
        double lambda = Double.NaN;
        double residual = Double.NaN;
        boolean converged = false;
        int iterations = 0;
        while (iterations < options.maxIterations()) {
            double[] av = a.apply(v);
            iterations++;
            double previous = lambda;
            lambda = DenseVectors.dot(v, av); // Rayleigh quotient of A, unshifted
            residual = DenseVectors.residual(av, lambda, v);
            if (residual == 0) { // v is an exact eigenvector (or A v = 0): nothing left to iterate
                converged = true;
                break;
            }
            DenseVectors.addScaled(av, -shift, v);
            double[] next = DenseVectors.normalized(av);
            if (Math.abs(lambda - previous) <= options.relativeTolerance() * Math.abs(lambda)) {
                converged = true;
                break;
            }
            v = next;
        }
        return new CurvatureReport(lambda, v, iterations, iterations, converged, residual);
    }
}
