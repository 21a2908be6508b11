package dev.ravine.linalg;

/**
 * The dense vector operations over plain arrays that the solvers, the doctor and the layers share: dot products,
 * norms and axpy in double precision (a float[] is read as doubles, so a norm of float32 values loses nothing to
 * rounding). Lengths must agree; every method says so when they do not.
 */
public final class DenseVectors {
    private DenseVectors() {}

    public static double dot(double[] a, double[] b) {
        requireSameLength(a.length, b.length);
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    public static double norm(double[] a) {
        return Math.sqrt(dot(a, a));
    }

    /** a / ||a||, a new array. */
    public static double[] normalized(double[] a) {
        double n = norm(a);
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) out[i] = a[i] / n;
        return out;
    }

    /** a += alpha * b, in place (axpy). */
    public static void addScaled(double[] a, double alpha, double[] b) {
        requireSameLength(a.length, b.length);
        for (int i = 0; i < a.length; i++) a[i] += alpha * b[i];
    }

    /** ||a - lambda b||, the residual of an eigenpair (lambda, b) when a = M b. */
    public static double residual(double[] a, double lambda, double[] b) {
        requireSameLength(a.length, b.length);
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            double d = a[i] - lambda * b[i];
            s += d * d;
        }
        return Math.sqrt(s);
    }

    /**
     * sum a_i^2 accumulated in double; NaN or infinity as IEEE arithmetic gives them. Four partial sums break the
     * dependency of one long chain of additions (the doctor reads every layer's gradient with this on reading steps).
     */
    public static double sumOfSquares(float[] a) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        for (; i + 3 < a.length; i += 4) {
            s0 += (double) a[i] * a[i];
            s1 += (double) a[i + 1] * a[i + 1];
            s2 += (double) a[i + 2] * a[i + 2];
            s3 += (double) a[i + 3] * a[i + 3];
        }
        for (; i < a.length; i++) s0 += (double) a[i] * a[i];
        return (s0 + s1) + (s2 + s3);
    }

    /** ||a||_2, accumulated in double. */
    public static double norm(float[] a) {
        return Math.sqrt(sumOfSquares(a));
    }

    private static void requireSameLength(int a, int b) {
        if (a != b) throw new IllegalArgumentException("vectors of different lengths: " + a + " and " + b);
    }
}
