package dev.ravine.linalg;

/**
 * The eigendecomposition {@code A = Q diag(lambda) Q^T} of a real symmetric matrix, in double precision: Q orthogonal,
 * its columns the eigenvectors, the eigenvalues sorted from largest to smallest.
 *
 * <p>Two classic stages (Golub and Van Loan, Matrix Computations, 8.3): Householder reflections reduce A to a
 * tridiagonal T = H^T A H in about 4/3 n^3 operations, then the implicit QL algorithm with Wilkinson-type shifts
 * ({@link SymmetricTridiagonalEigen}, the one home of that stage) diagonalizes T by plane rotations, accumulated into
 * H. The eigenvectors are kept as rows of a row-major array while the rotations are applied, so each rotation touches
 * two contiguous rows; a 784 x 784 covariance (MNIST pixels)
 * takes about a second. Cyclic Jacobi would be simpler but needs several O(n^3) sweeps, too slow at that size.
 *
 * @param values  the eigenvalues, largest first
 * @param vectors the eigenvectors as the rows of an n x n row-major array: row k belongs to {@code values[k]}
 */
public record SymmetricEigen(double[] values, double[] vectors, int n) {
    /**
     * Decomposes the symmetric n x n row-major matrix {@code a} (not modified). Only symmetry up to rounding is
     * assumed: the reduction reads the lower triangle.
     *
     * @throws IllegalArgumentException for a non-square or non-finite matrix
     * @throws ArithmeticException      if QL does not converge (not seen for finite symmetric input)
     */
    public static SymmetricEigen of(double[] a, int n) {
        if (n <= 0 || a.length != n * n) throw new IllegalArgumentException("expected a square n x n matrix with n > 0, got " + a.length + " values for n = " + n);
        for (double v : a) {
            if (!Double.isFinite(v)) throw new IllegalArgumentException("the matrix holds a non-finite value (" + v + "); its eigendecomposition is undefined");
        }
        double[] work = a.clone();
        double[] diagonal = new double[n], offDiagonal = new double[n];
        double[] rows = tridiagonalize(work, n, diagonal, offDiagonal);
        SymmetricTridiagonalEigen.diagonalize(diagonal, offDiagonal, rows, n);
        SymmetricTridiagonalEigen sorted = SymmetricTridiagonalEigen.sortedDescending(diagonal, rows, n);
        return new SymmetricEigen(sorted.values(), sorted.vectors(), n);
    }

    /** Eigenvector k as a new array. */
    public double[] vector(int k) {
        double[] v = new double[n];
        System.arraycopy(vectors, k * n, v, 0, n);
        return v;
    }

    // ---------------------------------------------------------------- Householder reduction

    /**
     * Overwrites {@code a} while reducing it; fills the tridiagonal's diagonal and sub-diagonal ({@code off[i]} couples
     * i and i + 1) and returns H^T (row-major), where A = H T H^T.
     */
    private static double[] tridiagonalize(double[] a, int n, double[] diagonal, double[] off) {
        double[][] reflectors = new double[Math.max(n - 2, 0)][];
        double[] p = new double[n];
        for (int k = 0; k < n - 2; k++) {
            int m = n - k - 1; // size of the trailing block below and right of (k, k)
            double[] v = new double[m];
            double norm = 0;
            for (int i = 0; i < m; i++) {
                v[i] = a[(k + 1 + i) * n + k];
                norm += v[i] * v[i];
            }
            norm = Math.sqrt(norm);
            double alpha = v[0] > 0 ? -norm : norm; // the sign that avoids cancellation in v[0] - alpha
            v[0] -= alpha;
            double vNorm = 0;
            for (double x : v) vNorm += x * x;
            vNorm = Math.sqrt(vNorm);
            off[k] = alpha;
            if (vNorm == 0) continue; // the column is already reduced; H_k = I
            for (int i = 0; i < m; i++) v[i] /= vNorm;
            reflectors[k] = v;
            reflectTrailingBlock(a, n, k + 1, v, p);
        }
        for (int i = 0; i < n; i++) diagonal[i] = a[i * n + i];
        if (n >= 2) off[n - 2] = a[(n - 1) * n + n - 2];
        off[n - 1] = 0;
        return accumulate(reflectors, n);
    }

    /** B := H B H for the trailing block B = a[s.., s..] and H = I - 2 v v^T: B - 2 (v w^T + w v^T), w = Bv - (v.Bv) v. */
    private static void reflectTrailingBlock(double[] a, int n, int s, double[] v, double[] p) {
        int m = n - s;
        double k = 0;
        for (int i = 0; i < m; i++) {
            double sum = 0;
            int row = (s + i) * n + s;
            for (int j = 0; j < m; j++) sum += a[row + j] * v[j];
            p[i] = sum;
            k += v[i] * sum;
        }
        for (int i = 0; i < m; i++) p[i] -= k * v[i];
        for (int i = 0; i < m; i++) {
            int row = (s + i) * n + s;
            double vi = 2 * v[i], pi = 2 * p[i];
            for (int j = 0; j < m; j++) a[row + j] -= vi * p[j] + pi * v[j];
        }
    }

    /** H = H_0 H_1 ... H_{n-3}, built from the last reflector back (each touches only a shrinking block); returns H^T. */
    private static double[] accumulate(double[][] reflectors, int n) {
        double[] h = new double[n * n];
        for (int i = 0; i < n; i++) h[i * n + i] = 1;
        double[] r = new double[n];
        for (int k = reflectors.length - 1; k >= 0; k--) {
            double[] v = reflectors[k];
            if (v == null) continue;
            int s = k + 1, m = n - s;
            java.util.Arrays.fill(r, 0, m, 0);
            for (int i = 0; i < m; i++) { // r = v^T B for the block B = h[s.., s..]
                double vi = v[i];
                int row = (s + i) * n + s;
                for (int j = 0; j < m; j++) r[j] += vi * h[row + j];
            }
            for (int i = 0; i < m; i++) {
                double vi = 2 * v[i];
                int row = (s + i) * n + s;
                for (int j = 0; j < m; j++) h[row + j] -= vi * r[j];
            }
        }
        return transpose(h, n);
    }

    private static double[] transpose(double[] a, int n) {
        double[] t = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) t[j * n + i] = a[i * n + j];
        }
        return t;
    }
}
