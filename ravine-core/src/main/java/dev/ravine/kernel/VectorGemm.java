package dev.ravine.kernel;

/**
 * GEMM on the Vector API, in the classic Goto/BLIS structure: C is processed in blocks of NC columns; for each
 * depth block of KC a KC x NC panel of op(B) is packed once, then blocks of MC rows of op(A) are packed and swept by
 * a {@link MicroKernel} over the whole panel.
 *
 * <p>Block sizes were tuned by measurement on a 2-core Zen 5 (48 KiB L1d, 1 MiB L2 per core), single-threaded CPU
 * time over 1024^3 and the MLP shapes: KC = 512 beat 256 by about 7% (half the round trips of C between memory
 * and the registers), MC of about 64 rows (rounded up to whole micro-kernel blocks) keeps the 64 x 512 block of A
 * (128 KiB) in L2 next to the B sliver being swept, and NC = 512 covers a whole tile of the usual layer widths.
 * KC is the same for every micro-kernel, which is what keeps their results bit-identical.
 */
final class VectorGemm implements GemmKernel {
    static final int KC = 512;
    static final int NC = 512;
    private static final int MC_TARGET = 64;

    private final MicroKernel micro;
    private final int mc;
    private final ThreadLocal<Buffers> buffers;

    VectorGemm(MicroKernel micro) {
        this.micro = micro;
        this.mc = Math.ceilDiv(MC_TARGET, micro.rows) * micro.rows;
        this.buffers = ThreadLocal.withInitial(() -> new Buffers(mc, micro));
    }

    /** False where the preferred vectors are too narrow to beat {@link ScalarGemm}. */
    static boolean isUseful() {
        return MicroKernel.LANES >= 4;
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                     float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                     float beta, float[] c, int cOff, int ldc) {
        Buffers buffers = this.buffers.get();
        int rows = micro.rows, cols = micro.cols;
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                VectorPacking.packB(transB, b, bOff, ldb, pc, kc, jc, nc, cols, buffers.b);
                // Later depth blocks add onto what the first one stored.
                float blockBeta = pc == 0 ? beta : 1f;
                for (int ic = 0; ic < m; ic += mc) {
                    int mcBlock = Math.min(mc, m - ic);
                    VectorPacking.packA(transA, a, aOff, lda, ic, mcBlock, pc, kc, rows, buffers.a, buffers.scratch);
                    sweep(buffers, mcBlock, nc, kc, alpha, blockBeta, c, cOff + ic * ldc + jc, ldc);
                }
            }
        }
    }

    /** Runs the micro-kernel over every rows x cols block of an mc x nc block of C from the packed buffers. */
    private void sweep(Buffers buffers, int mcBlock, int nc, int kc, float alpha, float beta,
                       float[] c, int cIdx, int ldc) {
        MicroKernel micro = this.micro;
        int rows = micro.rows, cols = micro.cols;
        for (int j = 0; j < nc; j += cols) {
            int validCols = Math.min(cols, nc - j);
            for (int i = 0; i < mcBlock; i += rows) {
                int validRows = Math.min(rows, mcBlock - i);
                int at = cIdx + i * ldc + j;
                micro.multiply(buffers.a, i * kc, buffers.b, j * kc, kc, buffers.sums);
                if (validRows == rows && validCols == cols) {
                    micro.storeBlock(buffers.sums, c, at, ldc, alpha, beta);
                } else {
                    micro.storePartialBlock(buffers.sums, validRows, validCols, c, at, ldc, alpha, beta);
                }
            }
        }
    }

    @Override
    public int rowGranule() {
        return micro.rows;
    }

    @Override
    public int colGranule() {
        return micro.cols;
    }

    @Override
    public String name() {
        return "vector(" + MicroKernel.SPECIES.vectorBitSize() + "-bit, " + micro.shape() + ")";
    }

    /** Per-thread packing space, sized for the largest blocks, so a call allocates nothing. */
    private static final class Buffers {
        final float[] a;
        final float[] b;
        final float[] sums;
        final float[] scratch = new float[8 * KC];

        Buffers(int mc, MicroKernel micro) {
            a = new float[mc * KC];
            b = new float[KC * Math.ceilDiv(NC, micro.cols) * micro.cols];
            sums = new float[micro.rows * micro.cols];
        }
    }
}
