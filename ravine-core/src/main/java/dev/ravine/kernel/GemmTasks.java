package dev.ravine.kernel;

import java.util.function.IntConsumer;

/**
 * A batched GEMM cut into tasks for {@link ComputePool#parallelFor}: task t computes tile {@code t % tiles} of
 * batch entry {@code t / tiles} over the full depth k. Each element of C belongs to exactly one task, and tasks
 * never share writes, so the thread that runs a task cannot change its result.
 */
final class GemmTasks implements IntConsumer {
    private final GemmKernel kernel;
    private final TileGrid grid;
    private final boolean transA;
    private final boolean transB;
    private final int k;
    private final float alpha;
    private final float[] a;
    private final int aOff;
    private final int lda;
    private final int strideA;
    private final float[] b;
    private final int bOff;
    private final int ldb;
    private final int strideB;
    private final float beta;
    private final float[] c;
    private final int cOff;
    private final int ldc;
    private final int strideC;

    GemmTasks(GemmKernel kernel, TileGrid grid, boolean transA, boolean transB, int k, float alpha,
              float[] a, int aOff, int lda, int strideA, float[] b, int bOff, int ldb, int strideB,
              float beta, float[] c, int cOff, int ldc, int strideC) {
        this.kernel = kernel;
        this.grid = grid;
        this.transA = transA;
        this.transB = transB;
        this.k = k;
        this.alpha = alpha;
        this.a = a;
        this.aOff = aOff;
        this.lda = lda;
        this.strideA = strideA;
        this.b = b;
        this.bOff = bOff;
        this.ldb = ldb;
        this.strideB = strideB;
        this.beta = beta;
        this.c = c;
        this.cOff = cOff;
        this.ldc = ldc;
        this.strideC = strideC;
    }

    /** Tasks for {@code batch} entries. */
    int count(int batch) {
        return batch * grid.tiles();
    }

    @Override
    public void accept(int task) {
        int entry = task / grid.tiles();
        int tile = task % grid.tiles();
        int i0 = grid.rowStart(tile);
        int j0 = grid.colStart(tile);
        // Row i0 of op(A) is a row of the stored A, or a column of it when A is stored transposed; likewise for B.
        int aTile = aOff + entry * strideA + (transA ? i0 : i0 * lda);
        int bTile = bOff + entry * strideB + (transB ? j0 * ldb : j0);
        int cTile = cOff + entry * strideC + i0 * ldc + j0;
        kernel.gemm(transA, transB, grid.rowEnd(tile) - i0, grid.colEnd(tile) - j0, k, alpha,
                a, aTile, lda, b, bTile, ldb, beta, c, cTile, ldc);
    }
}
