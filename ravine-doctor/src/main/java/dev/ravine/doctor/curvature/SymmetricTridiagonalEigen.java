package dev.ravine.doctor.curvature;

/**
 * All eigenvalues and eigenvectors of a symmetric tridiagonal matrix by the implicit QL algorithm with Wilkinson
 * shifts (EISPACK tql2; Bowdler, Martin, Reinsch and Wilkinson, Numer. Math. 11 (1968); the form used in JAMA).
 * Small and exact to rounding: the Lanczos matrices it serves are at most a few hundred wide.
 */
final class SymmetricTridiagonalEigen {
    /** Eigenvalues in ascending order. */
    final double[] values;
    /** vectors[i][k] is component i of the eigenvector of values[k] (columns are eigenvectors, unit length). */
    final double[][] vectors;

    private static final int MAX_SWEEPS_PER_EIGENVALUE = 60;

    /**
     * @param diagonal    the n diagonal entries
     * @param offDiagonal the n-1 entries coupling i and i+1
     */
    SymmetricTridiagonalEigen(double[] diagonal, double[] offDiagonal) {
        int n = diagonal.length;
        if (offDiagonal.length != Math.max(0, n - 1)) {
            throw new IllegalArgumentException(n + " diagonal entries need " + (n - 1) + " off-diagonal ones, got " + offDiagonal.length);
        }
        double[] d = diagonal.clone();
        double[] e = new double[n];
        System.arraycopy(offDiagonal, 0, e, 0, Math.max(0, n - 1));
        double[][] v = new double[n][n];
        for (int i = 0; i < n; i++) v[i][i] = 1;
        ql(d, e, v);
        sortAscending(d, v);
        this.values = d;
        this.vectors = v;
    }

    /** Implicit QL sweeps; on return d holds the eigenvalues and v the accumulated rotations. */
    private static void ql(double[] d, double[] e, double[][] v) {
        int n = d.length;
        double f = 0;
        double tst1 = 0;
        double eps = Math.ulp(1.0);
        for (int l = 0; l < n; l++) {
            tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
            int m = l;
            while (m < n - 1 && Math.abs(e[m]) > eps * tst1) m++; // e[n-1] is 0: the search ends there
            if (m > l) {
                int sweeps = 0;
                do {
                    if (++sweeps > MAX_SWEEPS_PER_EIGENVALUE) {
                        throw new ArithmeticException("tridiagonal QL did not converge (non-finite input?)");
                    }
                    // Wilkinson shift from the leading 2x2 block
                    double g = d[l];
                    double p = (d[l + 1] - g) / (2 * e[l]);
                    double r = Math.hypot(p, 1);
                    if (p < 0) r = -r;
                    d[l] = e[l] / (p + r);
                    d[l + 1] = e[l] * (p + r);
                    double dl1 = d[l + 1];
                    double h = g - d[l];
                    for (int i = l + 2; i < n; i++) d[i] -= h;
                    f += h;
                    // implicit QL transformation: a chase of Givens rotations from m up to l
                    p = d[m];
                    double c = 1, c2 = 1, c3 = 1;
                    double el1 = e[l + 1];
                    double s = 0, s2 = 0;
                    for (int i = m - 1; i >= l; i--) {
                        c3 = c2;
                        c2 = c;
                        s2 = s;
                        g = c * e[i];
                        h = c * p;
                        r = Math.hypot(p, e[i]);
                        e[i + 1] = s * r;
                        s = e[i] / r;
                        c = p / r;
                        p = c * d[i] - s * g;
                        d[i + 1] = h + s * (c * g + s * d[i]);
                        for (int k = 0; k < n; k++) {
                            h = v[k][i + 1];
                            v[k][i + 1] = s * v[k][i] + c * h;
                            v[k][i] = c * v[k][i] - s * h;
                        }
                    }
                    p = -s * s2 * c3 * el1 * e[l] / dl1;
                    e[l] = s * p;
                    d[l] = c * p;
                } while (Math.abs(e[l]) > eps * tst1);
            }
            d[l] += f;
            e[l] = 0;
        }
    }

    private static void sortAscending(double[] d, double[][] v) {
        int n = d.length;
        for (int i = 0; i < n - 1; i++) {
            int min = i;
            for (int j = i + 1; j < n; j++) if (d[j] < d[min]) min = j;
            if (min == i) continue;
            double t = d[i];
            d[i] = d[min];
            d[min] = t;
            for (double[] row : v) {
                t = row[i];
                row[i] = row[min];
                row[min] = t;
            }
        }
    }
}
