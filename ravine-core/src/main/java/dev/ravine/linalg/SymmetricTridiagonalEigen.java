package dev.ravine.linalg;

/**
 * The eigendecomposition of a real symmetric tridiagonal matrix T = Q diag(lambda) Q^T by the implicit QL algorithm
 * with Wilkinson-type shifts (Golub and Van Loan, Matrix Computations, 8.3.3, in its QL orientation): the one home of
 * this stage. {@link SymmetricEigen} runs it after its Householder reduction, with the rotations accumulated into the
 * reduction's H; the doctor's Lanczos iterations run it on their Krylov tridiagonal.
 *
 * <p>Non-finite entries are not rejected: they give NaN results (the doctor's callers check finiteness themselves).
 *
 * @param values  the eigenvalues, largest first
 * @param vectors the eigenvectors as the rows of an n x n row-major array: row k belongs to {@code values[k]}
 */
public record SymmetricTridiagonalEigen(double[] values, double[] vectors, int n) {
    /** QL sweeps allowed per eigenvalue before giving up; convergence is cubic, so a handful is normal. */
    private static final int MAX_SWEEPS = 60;

    /**
     * @param diagonal    the n diagonal entries (not modified)
     * @param offDiagonal the n - 1 entries coupling i and i + 1 (not modified)
     * @throws IllegalArgumentException when the lengths do not fit
     * @throws ArithmeticException      if QL does not converge (not seen for finite input)
     */
    public static SymmetricTridiagonalEigen of(double[] diagonal, double[] offDiagonal) {
        int n = diagonal.length;
        if (n == 0 || offDiagonal.length != n - 1) {
            throw new IllegalArgumentException(n + " diagonal entries need " + Math.max(0, n - 1) + " off-diagonal ones (and n > 0), got "
                    + offDiagonal.length);
        }
        double[] d = diagonal.clone(), e = new double[n], rows = new double[n * n];
        System.arraycopy(offDiagonal, 0, e, 0, n - 1);
        for (int i = 0; i < n; i++) rows[i * n + i] = 1;
        diagonalize(d, e, rows, n);
        return sortedDescending(d, rows, n);
    }

    /** Eigenvector k as a new array. */
    public double[] vector(int k) {
        double[] v = new double[n];
        System.arraycopy(vectors, k * n, v, 0, n);
        return v;
    }

    /**
     * Diagonalizes the tridiagonal (d, e; e[i] couples i and i + 1, e[n - 1] = 0) in place, applying each plane rotation to the eigenvector rows. For each l,
     * sweeps run on the unreduced block l..m until e[l] is negligible next to its neighbouring diagonal.
     */
    static void diagonalize(double[] d, double[] e, double[] rows, int n) {
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

    /** The eigenpairs of a diagonalized (d, rows), largest eigenvalue first. */
    static SymmetricTridiagonalEigen sortedDescending(double[] d, double[] rows, int n) {
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        java.util.Arrays.sort(order, (x, y) -> Double.compare(d[y], d[x]));
        double[] values = new double[n], vectors = new double[n * n];
        for (int k = 0; k < n; k++) {
            values[k] = d[order[k]];
            System.arraycopy(rows, order[k] * n, vectors, k * n, n);
        }
        return new SymmetricTridiagonalEigen(values, vectors, n);
    }
}
