package dev.ravine.doctor.curvature;

import java.util.Arrays;

/**
 * Test oracle: all eigenvalues of a small dense symmetric matrix by cyclic Jacobi rotations (Jacobi 1846; the
 * rotation angle as in Numerical Recipes, section 11.1), independent of the Lanczos and QL code under test.
 */
final class JacobiEigenvalues {
    private JacobiEigenvalues() {}

    /** Eigenvalues in ascending order; the input is not modified. */
    static double[] of(double[][] matrix) {
        int n = matrix.length;
        double[][] a = new double[n][];
        for (int i = 0; i < n; i++) a[i] = matrix[i].clone();
        for (int sweep = 0; sweep < 100 && offDiagonalNorm(a) > 1e-13 * frobenius(a); sweep++) {
            for (int p = 0; p < n - 1; p++) for (int q = p + 1; q < n; q++) rotate(a, p, q);
        }
        double[] values = new double[n];
        for (int i = 0; i < n; i++) values[i] = a[i][i];
        Arrays.sort(values);
        return values;
    }

    /** A <- J^T A J with the rotation in the (p, q) plane that zeroes a[p][q]. */
    private static void rotate(double[][] a, int p, int q) {
        if (a[p][q] == 0) return;
        double theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
        double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        if (theta == 0) t = 1;
        double c = 1 / Math.sqrt(t * t + 1);
        double s = t * c;
        int n = a.length;
        for (int k = 0; k < n; k++) {
            double akp = a[k][p], akq = a[k][q];
            a[k][p] = c * akp - s * akq;
            a[k][q] = s * akp + c * akq;
        }
        for (int k = 0; k < n; k++) {
            double apk = a[p][k], aqk = a[q][k];
            a[p][k] = c * apk - s * aqk;
            a[q][k] = s * apk + c * aqk;
        }
    }

    private static double offDiagonalNorm(double[][] a) {
        double s = 0;
        for (int i = 0; i < a.length; i++) for (int j = 0; j < a.length; j++) if (i != j) s += a[i][j] * a[i][j];
        return Math.sqrt(s);
    }

    private static double frobenius(double[][] a) {
        double s = 0;
        for (double[] row : a) for (double x : row) s += x * x;
        return Math.sqrt(s);
    }
}
