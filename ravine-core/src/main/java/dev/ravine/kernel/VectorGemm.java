package dev.ravine.kernel;

import static dev.ravine.kernel.VectorMicroKernel.COLS;
import static dev.ravine.kernel.VectorMicroKernel.ROWS;

/**
 * GEMM on the Vector API, in the classic Goto/BLIS structure: C is processed in blocks of NC columns; for each
 * depth block of KC a KC x NC panel of op(B) is packed once, then blocks of MC rows of op(A) are packed and swept by
 * {@link VectorMicroKernel} over the whole panel.
 *
 * <p>Block sizes were tuned by measurement on a 2-core Zen 5 (48 KiB L1d, 1 MiB L2 per core), single-threaded CPU
 * time over 1024^3 and the MLP shapes: KC = 512 beat 256 by about 7% (half the round trips of C between memory
 * and the registers), MC = 64 keeps the 64 x 512 block of A (128 KiB) in L2 next to
 * the B sliver being swept, and NC = 512 covers a whole tile of the usual layer widths.
 */
final class VectorGemm implements GemmKernel {
    static final int KC = 512;
    static final int MC = 64;
    static final int NC = 512;

    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

    /** False where the preferred vectors are too narrow to beat {@link ScalarGemm}. */
    static boolean isUseful() {
        return VectorMicroKernel.LANES >= 4;
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                     float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                     float beta, float[] c, int cOff, int ldc) {
        Buffers buffers = BUFFERS.get();
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                VectorPacking.packB(transB, b, bOff, ldb, pc, kc, jc, nc, buffers.b);
                // Later depth blocks add onto what the first one stored.
                float blockBeta = pc == 0 ? beta : 1f;
                for (int ic = 0; ic < m; ic += MC) {
                    int mc = Math.min(MC, m - ic);
                    VectorPacking.packA(transA, a, aOff, lda, ic, mc, pc, kc, buffers.a);
                    sweep(buffers, mc, nc, kc, alpha, blockBeta, c, cOff + ic * ldc + jc, ldc);
                }
            }
        }
    }

    /** Runs the micro-kernel over every ROWS x COLS block of an mc x nc block of C from the packed buffers. */
    private static void sweep(Buffers buffers, int mc, int nc, int kc, float alpha, float beta,
                              float[] c, int cIdx, int ldc) {
        for (int j = 0; j < nc; j += COLS) {
            int cols = Math.min(COLS, nc - j);
            for (int i = 0; i < mc; i += ROWS) {
                int rows = Math.min(ROWS, mc - i);
                int at = cIdx + i * ldc + j;
                VectorMicroKernel.multiply(buffers.a, i * kc, buffers.b, j * kc, kc, buffers.sums);
                if (rows == ROWS && cols == COLS) {
                    VectorMicroKernel.storeBlock(buffers.sums, c, at, ldc, alpha, beta);
                } else {
                    VectorMicroKernel.storePartialBlock(buffers.sums, rows, cols, c, at, ldc, alpha, beta);
                }
            }
        }
    }

    @Override
    public int rowGranule() {
        return ROWS;
    }

    @Override
    public int colGranule() {
        return COLS;
    }

    @Override
    public String name() {
        return "vector(" + VectorMicroKernel.SPECIES.vectorBitSize() + "-bit)";
    }

    /** Per-thread packing space, sized for the largest blocks, so a call allocates nothing. */
    private static final class Buffers {
        final float[] a = new float[MC * KC];
        final float[] b = new float[KC * roundUp(NC, COLS)];
        final float[] sums = new float[ROWS * COLS];

        private static int roundUp(int value, int multiple) {
            return (value + multiple - 1) / multiple * multiple;
        }
    }
}
