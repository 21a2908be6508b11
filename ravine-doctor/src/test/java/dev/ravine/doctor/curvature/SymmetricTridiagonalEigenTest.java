package dev.ravine.doctor.curvature;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ravine.linalg.SymmetricTridiagonalEigen;
import org.junit.jupiter.api.Test;

/**
 * Core's tridiagonal QL (linalg/SymmetricTridiagonalEigen, largest eigenvalue first) as the Lanczos iterations use it,
 * against closed forms and the Jacobi oracle of this package.
 */
class SymmetricTridiagonalEigenTest {
    @Test
    void discreteLaplacianHasItsClosedFormSpectrum() {
        // tridiag(-1, 2, -1) of size n: lambda_k = 2 - 2 cos(k pi / (n + 1)), v_k[i] ~ sin(i k pi / (n + 1)).
        int n = 12;
        double[] d = new double[n];
        double[] e = new double[n - 1];
        java.util.Arrays.fill(d, 2);
        java.util.Arrays.fill(e, -1);
        SymmetricTridiagonalEigen eig = SymmetricTridiagonalEigen.of(d, e);
        for (int k = 1; k <= n; k++) {
            int index = n - k; // ascending k, largest first
            assertEquals(2 - 2 * Math.cos(k * Math.PI / (n + 1)), eig.values()[index], 1e-13);
            double norm = 0, dot = 0;
            for (int i = 1; i <= n; i++) {
                double s = Math.sin(i * k * Math.PI / (n + 1));
                norm += s * s;
                dot += s * eig.vector(index)[i - 1];
            }
            assertEquals(1, Math.abs(dot) / Math.sqrt(norm), 1e-12, "eigenvector " + k);
        }
    }

    @Test
    void matchesJacobiOnAnIrregularMatrix() {
        double[] d = {3, -1, 0.5, 7, -4, 2};
        double[] e = {1, 2.5, -0.3, 1e-9, 3};
        double[][] dense = new double[6][6];
        for (int i = 0; i < 6; i++) dense[i][i] = d[i];
        for (int i = 0; i < 5; i++) dense[i][i + 1] = dense[i + 1][i] = e[i];
        double[] expected = JacobiEigenvalues.of(dense);
        double[] actual = SymmetricTridiagonalEigen.of(d, e).values();
        for (int i = 0; i < 6; i++) assertEquals(expected[i], actual[5 - i], 1e-12);
    }
}
