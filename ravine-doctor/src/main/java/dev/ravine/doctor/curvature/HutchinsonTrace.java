package dev.ravine.doctor.curvature;

import dev.ravine.linalg.DenseVectors;
import dev.ravine.tensor.Rng;

/**
 * Hutchinson's trace estimator (Hutchinson 1989): for z with independent Rademacher (+-1) entries, E[z^T H z] = tr H,
 * one Hessian-vector product per probe. Rademacher probes have the smallest variance of this family,
 * Var[z^T H z] = 2 sum_{i != j} H_ij^2 (Avron and Toledo, J. ACM 2011): exact for a diagonal H. The standard error is
 * the sample standard deviation over sqrt(n), so callers can tell a real change of curvature from estimator noise.
 */
public final class HutchinsonTrace {
    private HutchinsonTrace() {}

    public static TraceEstimate estimate(SymmetricOperator hessian, int samples, long seed) {
        if (samples < 2) throw new IllegalArgumentException("samples must be >= 2 to have a standard error, got " + samples);
        Rng rng = new Rng(seed);
        double mean = 0;
        double sumSquares = 0; // Welford's running sum of squared deviations
        for (int i = 1; i <= samples; i++) {
            double[] z = RandomVectors.rademacher(hessian.dimension(), rng);
            double quadratic = DenseVectors.dot(z, hessian.apply(z));
            double delta = quadratic - mean;
            mean += delta / i;
            sumSquares += delta * (quadratic - mean);
        }
        double variance = sumSquares / (samples - 1);
        return new TraceEstimate(mean, Math.sqrt(variance / samples), samples, samples);
    }
}
