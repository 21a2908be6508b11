package dev.ravine.doctor.curvature;

import dev.ravine.tensor.Rng;

/** The few double-precision vector operations the eigen-solvers need. */
final class DenseVectors {
    private DenseVectors() {}

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    static double norm(double[] a) {
        return Math.sqrt(dot(a, a));
    }

    /** a / ||a||, a new array. */
    static double[] normalized(double[] a) {
        double n = norm(a);
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) out[i] = a[i] / n;
        return out;
    }

    /** a += alpha * b, in place. */
    static void addScaled(double[] a, double alpha, double[] b) {
        for (int i = 0; i < a.length; i++) a[i] += alpha * b[i];
    }

    /** ||a - lambda b||. */
    static double residual(double[] a, double lambda, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            double d = a[i] - lambda * b[i];
            s += d * d;
        }
        return Math.sqrt(s);
    }

    /** A random unit vector (Gaussian then normalized: uniform on the sphere, so no eigenvector is favoured). */
    static double[] randomUnit(int n, Rng rng) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = rng.nextGaussian();
        return normalized(v);
    }

    /** Entries +1 or -1 with equal probability, from the sign bit of a full 64-bit draw. */
    static double[] rademacher(int n, Rng rng) {
        double[] z = new double[n];
        for (int i = 0; i < n; i++) z[i] = rng.nextLong() < 0 ? -1 : 1;
        return z;
    }
}
