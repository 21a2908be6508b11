package dev.ravine.kernel;

/**
 * The plain-Java GEMM: the fallback where the Vector API is missing and the reference the vector kernel is tested
 * against. Each element of C is accumulated over k in ascending order, so the result does not depend on tiling.
 */
final class ScalarGemm implements GemmKernel {
    /** Columns of C per block: a block's slice of B (k_block x NC) stays in L2 while all rows of A pass over it. */
    private static final int NC = 256;
    /** Depth per block; with NC, keeps the B block at 256 KiB. */
    private static final int KC = 256;

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                     float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                     float beta, float[] c, int cOff, int ldc) {
        scaleByBeta(m, n, beta, c, cOff, ldc);
        if (transB) {
            dotProducts(transA, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
        } else {
            rowUpdates(transA, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
        }
    }

    /** C = beta * C; beta == 0 overwrites without reading, so NaN or garbage in C does not survive. */
    static void scaleByBeta(int m, int n, float beta, float[] c, int cOff, int ldc) {
        if (beta == 1f) return;
        for (int i = 0; i < m; i++) {
            int row = cOff + i * ldc;
            for (int j = 0; j < n; j++) c[row + j] = beta == 0f ? 0f : beta * c[row + j];
        }
    }

    /**
     * For B stored k x n: C[i, j] += (alpha * A[i, p]) * B[p, j], row by row, so the inner loop runs along
     * contiguous rows of B and C.
     */
    private static void rowUpdates(boolean transA, int m, int n, int k, float alpha,
                                   float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                   float[] c, int cOff, int ldc) {
        for (int j0 = 0; j0 < n; j0 += NC) {
            int j1 = Math.min(n, j0 + NC);
            for (int p0 = 0; p0 < k; p0 += KC) {
                int p1 = Math.min(k, p0 + KC);
                for (int i = 0; i < m; i++) {
                    int cRow = cOff + i * ldc;
                    for (int p = p0; p < p1; p++) {
                        float scaledA = alpha * a[aOff + (transA ? p * lda + i : i * lda + p)];
                        int bRow = bOff + p * ldb;
                        for (int j = j0; j < j1; j++) c[cRow + j] += scaledA * b[bRow + j];
                    }
                }
            }
        }
    }

    /** For B stored n x k: C[i, j] += alpha * dot(A[i, :], B[j, :]), where row j of the stored B is contiguous. */
    private static void dotProducts(boolean transA, int m, int n, int k, float alpha,
                                    float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                    float[] c, int cOff, int ldc) {
        for (int j0 = 0; j0 < n; j0 += NC) {
            int j1 = Math.min(n, j0 + NC);
            for (int i = 0; i < m; i++) {
                int cRow = cOff + i * ldc;
                for (int j = j0; j < j1; j++) {
                    int bRow = bOff + j * ldb;
                    float sum = 0f;
                    for (int p = 0; p < k; p++) sum += a[aOff + (transA ? p * lda + i : i * lda + p)] * b[bRow + p];
                    c[cRow + j] += alpha * sum;
                }
            }
        }
    }

    @Override
    public int rowGranule() {
        return 1;
    }

    @Override
    public int colGranule() {
        return 1;
    }

    @Override
    public String name() {
        return "scalar";
    }
}
