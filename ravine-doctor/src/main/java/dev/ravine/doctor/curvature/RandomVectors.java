package dev.ravine.doctor.curvature;

import dev.ravine.linalg.DenseVectors;
import dev.ravine.tensor.Rng;

/** The random start and probe vectors of the eigen-solvers and the trace estimator. */
final class RandomVectors {
    private RandomVectors() {}

    /** A random unit vector (Gaussian then normalized: uniform on the sphere, so no eigenvector is favoured). */
    static double[] unit(int n, Rng rng) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = rng.nextGaussian();
        return DenseVectors.normalized(v);
    }

    /** Entries +1 or -1 with equal probability, from the sign bit of a full 64-bit draw. */
    static double[] rademacher(int n, Rng rng) {
        double[] z = new double[n];
        for (int i = 0; i < n; i++) z[i] = rng.nextLong() < 0 ? -1 : 1;
        return z;
    }
}
