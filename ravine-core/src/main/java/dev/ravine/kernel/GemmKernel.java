package dev.ravine.kernel;

/**
 * A single-threaded implementation of one GEMM, {@code C = alpha * op(A) * op(B) + beta * C}, with the operand
 * layout of {@link Gemm#gemm}. {@link Gemm} checks the arguments, handles the degenerate cases and cuts C into tiles
 * for threads; a kernel sees one tile at a time.
 */
sealed interface GemmKernel permits VectorGemm, ScalarGemm {
    /**
     * Computes one product. Callers guarantee m, n, k >= 1, alpha != 0, in-bounds operands, and C not overlapping
     * A or B. With beta == 0 the kernel must not read C.
     */
    void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
              float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
              float beta, float[] c, int cOff, int ldc);

    /**
     * Tiles handed to {@link #gemm} start at row multiples of this; the kernel promises that then each element of C
     * is computed with the same arithmetic whatever the tiling, which is what makes results independent of the
     * thread count.
     */
    int rowGranule();

    /** The column counterpart of {@link #rowGranule()}. */
    int colGranule();

    /** For logs and benchmarks, e.g. {@code vector(512-bit, 8x2)}. */
    String name();
}
