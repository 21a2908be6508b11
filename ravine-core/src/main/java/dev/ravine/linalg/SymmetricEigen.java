package dev.ravine.linalg;

/**
 * The eigendecomposition {@code A = Q diag(lambda) Q^T} of a real symmetric matrix, in double precision: Q orthogonal,
 * its columns the eigenvectors, the eigenvalues sorted from largest to smallest.
 *
 * <p>Two classic stages (Golub and Van Loan, Matrix Computations, 8.3): Householder reflections reduce A to a
 * tridiagonal T = H^T A H in about 4/3 n^3 operations, then the implicit QL algorithm with Wilkinson-type shifts
 * diagonalizes T by plane rotations, accumulated into H. The eigenvectors are kept as rows of a row-major array while
 * the rotations are applied, so each rotation touches two contiguous rows; a 784 x 784 covariance (MNIST pixels)
 * takes about a second. Cyclic Jacobi would be simpler but needs several O(n^3) sweeps, too slow at that size.
 *
 * @param values  the eigenvalues, largest first
 * @param vectors the eigenvectors as the rows of an n x n row-major array: row k belongs to {@code values[k]}
 */
public record SymmetricEigen(double[] values, double[] vectors, int n) {
    /** QL sweeps allowed per eigenvalue before giving up; convergence is cubic, so a handful is normal. */
    private static final int MAX_SWEEPS = 60;

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
        diagonalize(diagonal, offDiagonal, rows, n);
        return sortedDescending(diagonal, rows, n);
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

    // ---------------------------------------------------------------- implicit QL on the tridiagonal

    /**
     * Diagonalizes the tridiagonal (d, e) in place, applying each plane rotation to the eigenvector rows. For each l,
     * sweeps run on the unreduced block l..m until e[l] is negligible next to its neighbouring diagonal.
     */
    private static void diagonalize(double[] d, double[] e, double[] rows, int n) {
        double eps = Math.ulp(1.0);
        // An off-diagonal below eps * ||T|| is dropped even where its neighbours are tiny too: rank-deficient inputs
        // (a covariance from fewer samples than features) have blocks of near-zero rounding noise in which the local
        // test alone never succeeds. Dropping it perturbs T by at most eps * ||T||, the accuracy of the result anyway.
        double norm = 0;
        for (int i = 0; i < n; i++) norm = Math.max(norm, Math.abs(d[i]) + Math.abs(e[i]) + (i > 0 ? Math.abs(e[i - 1]) : 0));
        double negligible = eps * norm;
        for (int l = 0; l < n; l++) {
            for (int sweep = 0; ; sweep++) {
                int m = l;
                while (m < n - 1 && Math.abs(e[m]) > negligible && Math.abs(e[m]) > eps * (Math.abs(d[m]) + Math.abs(d[m + 1]))) m++;
                if (m == l) break;
                if (sweep == MAX_SWEEPS) {
                    throw new ArithmeticException("symmetric eigendecomposition: QL did not converge for eigenvalue " + l + " after "
                            + MAX_SWEEPS + " sweeps");
                }
                qlSweep(d, e, rows, n, l, m);
            }
        }
    }

    /** One implicit QL step with shift on the block l..m (Golub and Van Loan 8.3.3, in its QL orientation). */
    private static void qlSweep(double[] d, double[] e, double[] rows, int n, int l, int m) {
        double g = (d[l + 1] - d[l]) / (2 * e[l]);
        double r = Math.hypot(g, 1);
        g = d[m] - d[l] + e[l] / (g + Math.copySign(r, g)); // shift: the eigenvalue of the leading 2x2 nearer d[l]
        double s = 1, c = 1, p = 0;
        int i;
        for (i = m - 1; i >= l; i--) {
            double f = s * e[i], b = c * e[i];
            r = Math.hypot(f, g);
            e[i + 1] = r;
            if (r == 0) { // underflow: the block splits here; restart from the new split
                d[i + 1] -= p;
                e[m] = 0;
                return;
            }
            s = f / r;
            c = g / r;
            g = d[i + 1] - p;
            r = (d[i] - g) * s + 2 * c * b;
            p = s * r;
            d[i + 1] = g + p;
            g = c * r - b;
            rotateRows(rows, n, i, c, s);
        }
        d[l] -= p;
        e[l] = g;
        e[m] = 0;
    }

    /** Applies the rotation to eigenvector rows i and i + 1. */
    private static void rotateRows(double[] rows, int n, int i, double c, double s) {
        int a = i * n, b = (i + 1) * n;
        for (int k = 0; k < n; k++) {
            double f = rows[b + k];
            rows[b + k] = s * rows[a + k] + c * f;
            rows[a + k] = c * rows[a + k] - s * f;
        }
    }

    private static SymmetricEigen sortedDescending(double[] d, double[] rows, int n) {
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        java.util.Arrays.sort(order, (x, y) -> Double.compare(d[y], d[x]));
        double[] values = new double[n], vectors = new double[n * n];
        for (int k = 0; k < n; k++) {
            values[k] = d[order[k]];
            System.arraycopy(rows, order[k] * n, vectors, k * n, n);
        }
        return new SymmetricEigen(values, vectors, n);
    }
}
