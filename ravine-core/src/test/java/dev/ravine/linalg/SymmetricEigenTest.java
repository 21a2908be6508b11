package dev.ravine.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ravine.tensor.Rng;
import org.junit.jupiter.api.Test;

/**
 * The decomposition reconstructs its matrix (A = Q L Q^T), Q is orthogonal, the eigenvalues are sorted and equal the
 * known ones of matrices built from a known spectrum, including repeated and zero eigenvalues.
 */
class SymmetricEigenTest {
    private final Rng rng = new Rng(17);

    private double[] randomSymmetric(int n) {
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) a[i * n + j] = a[j * n + i] = rng.nextGaussian();
        }
        return a;
    }

    /** A random orthogonal matrix: Gram-Schmidt on Gaussian rows. */
    private double[] randomOrthogonal(int n) {
        double[] q = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < n; k++) q[i * n + k] = rng.nextGaussian();
            for (int j = 0; j < i; j++) {
                double dot = 0;
                for (int k = 0; k < n; k++) dot += q[i * n + k] * q[j * n + k];
                for (int k = 0; k < n; k++) q[i * n + k] -= dot * q[j * n + k];
            }
            double norm = 0;
            for (int k = 0; k < n; k++) norm += q[i * n + k] * q[i * n + k];
            for (int k = 0; k < n; k++) q[i * n + k] /= Math.sqrt(norm);
        }
        return q;
    }

    /** R^T diag(values) R for an orthogonal R given by rows. */
    private static double[] withSpectrum(double[] r, double[] values, int n) {
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int k = 0; k < n; k++) s += r[k * n + i] * values[k] * r[k * n + j];
                a[i * n + j] = s;
            }
        }
        return a;
    }

    /** max |A - Q L Q^T| and max |Q Q^T - I| (rows of Q are the eigenvectors). */
    private static double[] errors(double[] a, SymmetricEigen e) {
        int n = e.n();
        double[] q = e.vectors(), l = e.values();
        double reconstruction = 0, orthogonality = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0, dot = 0;
                for (int k = 0; k < n; k++) {
                    s += q[k * n + i] * l[k] * q[k * n + j];
                    dot += q[i * n + k] * q[j * n + k];
                }
                reconstruction = Math.max(reconstruction, Math.abs(a[i * n + j] - s));
                orthogonality = Math.max(orthogonality, Math.abs(dot - (i == j ? 1 : 0)));
            }
        }
        return new double[] {reconstruction, orthogonality};
    }

    private static void assertSorted(double[] values) {
        for (int k = 1; k < values.length; k++) assertTrue(values[k - 1] >= values[k], "eigenvalues not sorted at " + k);
    }

    @Test void reconstructsARandomSymmetricMatrixWithOrthogonalVectors() {
        for (int n : new int[] {1, 2, 3, 7, 60}) {
            double[] a = randomSymmetric(n);
            SymmetricEigen e = SymmetricEigen.of(a, n);
            double[] err = errors(a, e);
            assertTrue(err[0] < 1e-12 * n, "n = " + n + ": |A - Q L Q^T| = " + err[0]);
            assertTrue(err[1] < 1e-13 * n, "n = " + n + ": |Q Q^T - I| = " + err[1]);
            assertSorted(e.values());
            double trace = 0, sum = 0;
            for (int i = 0; i < n; i++) trace += a[i * n + i];
            for (double v : e.values()) sum += v;
            assertEquals(trace, sum, 1e-12 * n, "the eigenvalues sum to the trace");
        }
    }

    @Test void findsAKnownSpectrumWithRepeatedAndZeroEigenvalues() {
        int n = 40;
        double[] values = new double[n];
        for (int k = 0; k < n; k++) values[k] = k < 10 ? 5 : k < 20 ? 0 : -3 + 0.1 * k; // 5 x10, 0 x10, then distinct
        double[] a = withSpectrum(randomOrthogonal(n), values, n);
        SymmetricEigen e = SymmetricEigen.of(a, n);
        double[] expected = values.clone();
        java.util.Arrays.sort(expected);
        for (int k = 0; k < n; k++) assertEquals(expected[n - 1 - k], e.values()[k], 1e-12, "eigenvalue " + k);
        double[] err = errors(a, e);
        assertTrue(err[0] < 1e-12 && err[1] < 1e-12, "reconstruction " + err[0] + ", orthogonality " + err[1]);
        // each vector is an eigenvector: |A v - lambda v| small
        for (int k = 0; k < n; k++) {
            double[] v = e.vector(k);
            for (int i = 0; i < n; i++) {
                double av = 0;
                for (int j = 0; j < n; j++) av += a[i * n + j] * v[j];
                assertEquals(e.values()[k] * v[i], av, 1e-12, "A v = lambda v for vector " + k);
            }
        }
    }

    /**
     * A covariance of fewer samples than features, with some features constant (as MNIST's border pixels): most
     * eigenvalues are zero up to rounding, the case where a purely local convergence test never succeeds.
     */
    @Test void rankDeficientCovarianceWithConstantFeatures() {
        int n = 120, samples = 30;
        double[] x = new double[samples * n];
        for (int s = 0; s < samples; s++) {
            for (int j = 0; j < n; j++) x[s * n + j] = j % 7 == 0 ? 0 : rng.nextGaussian() * (1 + j % 5) + (j % 3 == 0 ? 100 : 0);
        }
        double[] mean = new double[n];
        for (int s = 0; s < samples; s++) for (int j = 0; j < n; j++) mean[j] += x[s * n + j] / samples;
        double[] c = new double[n * n];
        for (int s = 0; s < samples; s++) {
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) c[i * n + j] += (x[s * n + i] - mean[i]) * (x[s * n + j] - mean[j]) / samples;
            }
        }
        SymmetricEigen e = SymmetricEigen.of(c, n);
        double[] err = errors(c, e);
        assertTrue(err[0] < 1e-11 * e.values()[0] && err[1] < 1e-12, "reconstruction " + err[0] + ", orthogonality " + err[1]);
        int zero = 0;
        for (double v : e.values()) if (Math.abs(v) < 1e-10 * e.values()[0]) zero++;
        assertEquals(n - (samples - 1), zero, "rank of a centred 30-sample covariance is 29");
    }

    @Test void diagonalAndAlreadyTridiagonalMatrices() {
        double[] diagonal = {3, 0, 0, 0, -1, 0, 0, 0, 2};
        SymmetricEigen d = SymmetricEigen.of(diagonal, 3);
        assertEquals(3, d.values()[0]);
        assertEquals(2, d.values()[1]);
        assertEquals(-1, d.values()[2]);
        // [[2, 1], [1, 2]] has eigenvalues 3 and 1 with vectors (1, 1) / sqrt 2 and (1, -1) / sqrt 2
        SymmetricEigen two = SymmetricEigen.of(new double[] {2, 1, 1, 2}, 2);
        assertEquals(3, two.values()[0], 1e-15);
        assertEquals(1, two.values()[1], 1e-15);
        assertEquals(1, Math.abs(two.vector(0)[0] + two.vector(0)[1]) / Math.sqrt(2), 1e-15);
        SymmetricEigen zero = SymmetricEigen.of(new double[16], 4);
        for (double v : zero.values()) assertEquals(0, v);
        assertTrue(errors(new double[16], zero)[1] < 1e-15);
    }

    @Test void rejectsBadInput() {
        assertThrows(IllegalArgumentException.class, () -> SymmetricEigen.of(new double[5], 2));
        var e = assertThrows(IllegalArgumentException.class, () -> SymmetricEigen.of(new double[] {1, Double.NaN, Double.NaN, 1}, 2));
        assertTrue(e.getMessage().contains("non-finite"), e.getMessage());
    }
}
