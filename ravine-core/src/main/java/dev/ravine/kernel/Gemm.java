package dev.ravine.kernel;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Single-precision general matrix multiply on row-major arrays, BLAS-style:
 * {@code C = alpha * op(A) * op(B) + beta * C}.
 *
 * <p>The implementation is the Vector API kernel ({@link VectorGemm}) unless the system property
 * {@code ravine.kernel=scalar} is set, the {@code jdk.incubator.vector} module is not in the module graph, or the
 * preferred vectors have fewer than 4 lanes; then it is {@link ScalarGemm}. Large products are spread over
 * {@link ComputePool}. Results are bit-identical for any thread count and any run.
 *
 * <p>C must not overlap A or B.
 */
public final class Gemm {
    /**
     * Below this many multiply-adds (64^3, a few microseconds) a call stays on the calling thread. Measured: from
     * about here two threads beat one, because the caller starts working at once instead of waiting for a helper.
     */
    private static final long PARALLEL_WORK = 1L << 18;
    /** Smallest share of multiply-adds worth a task of its own. */
    private static final long TASK_WORK = 1L << 17;

    /** What {@link GemmTuning} said at start-up; null on the scalar kernel. */
    private static final GemmTuning.Start START = vectorStart();
    /** The kernel in use: the start-up choice, replaced at most once, by the tuner (which never changes bits). */
    private static volatile GemmKernel kernel = START == null ? new ScalarGemm() : START.kernel();
    private static final AtomicBoolean TUNING_CONSIDERED = new AtomicBoolean();

    private Gemm() {}

    /**
     * C[m x n] = alpha * op(A) * op(B) + beta * C. op(A) is m x k; when transA, A is stored k x m (row stride lda),
     * else m x k (row stride lda). Same for B (k x n, or n x k when transB). beta == 0 means C is overwritten (its
     * old contents, even NaN, are ignored); alpha == 0 or k == 0 leaves beta * C without reading A or B.
     */
    public static void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                            float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                            float beta, float[] c, int cOff, int ldc) {
        gemm(current(), transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    /**
     * {@code batch} independent products; strideA/strideB/strideC are element offsets between consecutive batch
     * entries; a stride of 0 broadcasts that operand. With strideC == 0 the entries are applied to the one C in
     * batch order (so beta == 1 sums the products); otherwise the entries of C must not overlap.
     */
    public static void gemmBatched(int batch, boolean transA, boolean transB, int m, int n, int k, float alpha,
                                   float[] a, int aOff, int lda, int strideA, float[] b, int bOff, int ldb, int strideB,
                                   float beta, float[] c, int cOff, int ldc, int strideC) {
        gemmBatched(current(), batch, transA, transB, m, n, k, alpha, a, aOff, lda, strideA, b, bOff, ldb, strideB,
                beta, c, cOff, ldc, strideC);
    }

    /**
     * The kernel in use, e.g. {@code vector(512-bit, 8x2)} (micro-kernel rows x vectors) or {@code scalar}. The
     * shape may change once, when a first-use tuning trial finishes (see {@link GemmTuning}); results never do.
     */
    public static String implementation() {
        return kernel.name();
    }

    /** {@link #implementation()} with the cache blocking, e.g. {@code vector(512-bit, 8x2) mc 64 kc 256 nc 512}. */
    public static String configuration() {
        GemmKernel now = kernel;
        return now instanceof VectorGemm vector ? now.name() + " " + vector.blocking() : now.name();
    }

    /**
     * Runs the first-use tuning trial now, on this thread, where one is due and has not started (no product has
     * run yet), so that a benchmark measures the tuned kernel rather than the trial; returns {@link #configuration()}.
     */
    public static String tuneNow() {
        if (TUNING_CONSIDERED.compareAndSet(false, true) && START != null && START.trial()) {
            kernel = GemmTuning.tune(GemmTuningCache.standard(), MachineKey.ofThisMachine());
        }
        return configuration();
    }

    /** The kernel for the next product; the process's first product starts the trial where one is wanted. */
    private static GemmKernel current() {
        if (!TUNING_CONSIDERED.get() && TUNING_CONSIDERED.compareAndSet(false, true) && START != null && START.trial()) {
            GemmTuning.inBackground(tuned -> kernel = tuned);
        }
        return kernel;
    }

    /** {@link #gemm} on a chosen kernel, so tests can run every implementation. */
    static void gemm(GemmKernel kernel, boolean transA, boolean transB, int m, int n, int k, float alpha,
                     float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                     float beta, float[] c, int cOff, int ldc) {
        gemmBatched(kernel, 1, transA, transB, m, n, k, alpha, a, aOff, lda, 0, b, bOff, ldb, 0, beta, c, cOff, ldc, 0);
    }

    /** {@link #gemmBatched} on a chosen kernel, so tests can run every implementation. */
    static void gemmBatched(GemmKernel kernel, int batch, boolean transA, boolean transB, int m, int n, int k,
                            float alpha, float[] a, int aOff, int lda, int strideA, float[] b, int bOff, int ldb,
                            int strideB, float beta, float[] c, int cOff, int ldc, int strideC) {
        if (batch < 0 || m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("negative size: batch " + batch + ", m " + m + ", n " + n + ", k " + k);
        }
        checkOperand("A", a, aOff, transA ? k : m, transA ? m : k, lda, batch, strideA);
        checkOperand("B", b, bOff, transB ? n : k, transB ? k : n, ldb, batch, strideB);
        checkOperand("C", c, cOff, m, n, ldc, batch, strideC);
        if (batch == 0 || m == 0 || n == 0) return;
        if (k == 0 || alpha == 0f) {
            // BLAS: the product vanishes, and A and B are not read (so NaN in them does not leak into C).
            for (int e = 0; e < batch; e++) ScalarGemm.scaleByBeta(m, n, beta, c, cOff + e * strideC, ldc);
            return;
        }
        long work = (long) m * n * k;
        if (ComputePool.threads() == 1 || (double) work * batch < PARALLEL_WORK) {
            for (int e = 0; e < batch; e++) {
                kernel.gemm(transA, transB, m, n, k, alpha, a, aOff + e * strideA, lda, b, bOff + e * strideB, ldb,
                        beta, c, cOff + e * strideC, ldc);
            }
        } else if (strideC == 0 && batch > 1) {
            // Every entry updates the same C, so entries go one after another, each split into tiles.
            TileGrid grid = cut(kernel, m, n, 1, work);
            for (int e = 0; e < batch; e++) {
                GemmTasks tasks = new GemmTasks(kernel, grid, transA, transB, k, alpha, a, aOff + e * strideA, lda, 0,
                        b, bOff + e * strideB, ldb, 0, beta, c, cOff, ldc, 0);
                ComputePool.parallelFor(tasks.count(1), tasks);
            }
        } else {
            GemmTasks tasks = new GemmTasks(kernel, cut(kernel, m, n, batch, work), transA, transB, k, alpha,
                    a, aOff, lda, strideA, b, bOff, ldb, strideB, beta, c, cOff, ldc, strideC);
            ComputePool.parallelFor(tasks.count(batch), tasks);
        }
    }

    /**
     * Tiles per entry: enough that batch x tiles is a multiple of the thread count (so threads finish together),
     * but none smaller than {@link #TASK_WORK}. The tiling may follow the thread count because the kernels'
     * results do not depend on it (see {@link GemmKernel#rowGranule()}).
     */
    private static TileGrid cut(GemmKernel kernel, int m, int n, int batch, long work) {
        int threads = ComputePool.threads();
        int parts = threads / gcd(batch, threads);
        parts = (int) Math.min(parts, Math.max(1, work / TASK_WORK));
        if (parts == 1) return TileGrid.whole(m, n);
        return TileGrid.cut(m, n, parts, kernel.rowGranule(), kernel.colGranule());
    }

    private static int gcd(int x, int y) {
        return y == 0 ? x : gcd(y, x % y);
    }

    /**
     * Checks that every batch entry of a rows x cols operand (as stored) lies inside its array. The leading
     * dimension only matters, and so is only checked, when there is more than one row.
     */
    private static void checkOperand(String name, float[] data, int off, int rows, int cols, int ld, int batch,
                                     int stride) {
        Objects.requireNonNull(data, name);
        if (off < 0 || stride < 0) {
            throw new IllegalArgumentException(name + ": offset " + off + " and batch stride " + stride + " must be >= 0");
        }
        if (rows > 1 && ld < cols) {
            throw new IllegalArgumentException(name + ": leading dimension " + ld + " is less than its " + cols + " columns");
        }
        if (batch == 0 || rows == 0 || cols == 0) return;
        long last = off + (long) (batch - 1) * stride + (long) (rows - 1) * ld + cols - 1;
        if (last >= data.length) {
            throw new IndexOutOfBoundsException(name + ": " + batch + " x " + rows + " x " + cols + " (ld " + ld
                    + ", batch stride " + stride + ") from offset " + off + " needs index " + last
                    + " but the array has length " + data.length);
        }
    }

    /** The vector kernel's start (see {@link GemmTuning#start()}), or null where the scalar kernel is to be used. */
    private static GemmTuning.Start vectorStart() {
        String choice = System.getProperty("ravine.kernel", "").trim();
        if (choice.equals("scalar")) return null;
        if (!choice.isEmpty() && !choice.equals("vector")) {
            throw new IllegalArgumentException("system property ravine.kernel must be 'vector' or 'scalar', got '" + choice + "'");
        }
        try {
            if (VectorGemm.isUseful()) return GemmTuning.start();
        } catch (LinkageError e) {
            // jdk.incubator.vector is not in the module graph (the JVM ran without --add-modules jdk.incubator.vector)
        }
        return null;
    }
}
