package dev.ravine.kernel;

/**
 * GEMM on the Vector API, in the classic Goto/BLIS structure: C is processed in blocks of nc columns; for each
 * depth block of {@link #DEPTH} a DEPTH x nc panel of op(B) is packed once, then blocks of mc rows of op(A) are
 * packed and swept by a {@link MicroKernel} over the whole panel, kc of depth at a time.
 *
 * <p>Two depths. {@link #DEPTH} is where each element's FMA chain ends and is combined into C (alpha * sum +
 * beta * C): it decides the bits, so it is the same for every shape, blocking and machine. The cache depth kc
 * ({@link GemmBlocking#kc()}) only says how much of that chain one micro-kernel call runs before the sums are
 * parked in L1 and the next sliver of A is taken: the chains go on exactly where they stopped, so kc, mc and nc
 * are free to follow the caches. The B sliver a sweep reuses from L1 is kc x cols floats:
 * at kc 512 and 512-bit 8 x 2 that is 64 KiB, more than the 48 KiB L1d of an Intel Xeon (model 167) or a Zen 5,
 * and the micro-kernel alone ran 143 GFLOP per CPU-second there against 162 at kc 256.
 *
 * <p>The start-up default, {@link #DEFAULT_BLOCKING}: the depth of 512 was measured on a 2-core Zen 5 (48 KiB L1d,
 * 1 MiB L2 per core), single-threaded CPU time over 1024^3 and the MLP shapes, to beat 256 by about 7% (half the
 * round trips of C between memory and the registers); mc of about 64 rows (rounded up to whole micro-kernel blocks)
 * keeps the 64 x 512 block of A (128 KiB) in L2, and nc = 512 covers a whole tile of the usual layer widths. kc 256
 * keeps the 8 x 2 B sliver in L1 on both machines: on the Xeon, one thread, whole GEMM, it gained 4-9% over 512 on
 * 1024^3 and the MLP's NN and NT shapes (load 17-18, so within noise of the TN shape, which has k = 128 anyway).
 */
final class VectorGemm implements GemmKernel {
    /** The depth of every FMA chain before it is combined into C; fixed, because it decides the bits. */
    static final int DEPTH = 512;
    static final GemmBlocking DEFAULT_BLOCKING = new GemmBlocking(64, 256, 512);

    private final MicroKernel micro;
    private final GemmBlocking blocking;
    private final int mc;
    private final int kc;
    private final int nc;
    private final ThreadLocal<Buffers> buffers;

    VectorGemm(MicroKernel micro) {
        this(micro, DEFAULT_BLOCKING);
    }

    VectorGemm(MicroKernel micro, GemmBlocking blocking) {
        this.micro = micro;
        this.blocking = blocking;
        this.mc = Math.ceilDiv(blocking.mc(), micro.rows) * micro.rows;
        this.kc = Math.min(blocking.kc(), DEPTH);
        this.nc = Math.ceilDiv(blocking.nc(), micro.cols) * micro.cols;
        this.buffers = ThreadLocal.withInitial(() -> new Buffers(mc, nc, micro));
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
        for (int jc = 0; jc < n; jc += nc) {
            int ncBlock = Math.min(nc, n - jc);
            for (int pc = 0; pc < k; pc += DEPTH) {
                int depth = Math.min(DEPTH, k - pc);
                VectorPacking.packB(transB, b, bOff, ldb, pc, depth, jc, ncBlock, cols, buffers.b);
                // Later depth blocks add onto what the first one stored.
                float blockBeta = pc == 0 ? beta : 1f;
                for (int ic = 0; ic < m; ic += mc) {
                    int mcBlock = Math.min(mc, m - ic);
                    VectorPacking.packA(transA, a, aOff, lda, ic, mcBlock, pc, depth, rows, buffers.a, buffers.scratch);
                    sweep(buffers, mcBlock, ncBlock, depth, alpha, blockBeta, c, cOff + ic * ldc + jc, ldc);
                }
            }
        }
    }

    /**
     * Runs the micro-kernel over every rows x cols block of an mcBlock x ncBlock block of C from the packed
     * buffers: for each B sliver, kc of depth at a time over all the A slivers (so that stretch of the B sliver
     * stays in L1), the sums of the column of blocks parked in buffers.sums between stretches. A full block's last
     * stretch writes C straight from the accumulators; a block cut by the edge of C goes through sums.
     */
    private void sweep(Buffers buffers, int mcBlock, int ncBlock, int depth, float alpha, float beta,
                       float[] c, int cIdx, int ldc) {
        MicroKernel micro = this.micro;
        int rows = micro.rows, cols = micro.cols, block = rows * cols;
        int blocks = Math.ceilDiv(mcBlock, rows);
        float[] sums = buffers.sums;
        for (int j = 0; j < ncBlock; j += cols) {
            int validCols = Math.min(cols, ncBlock - j);
            for (int p = 0; p < depth; p += kc) {
                int stretch = Math.min(kc, depth - p);
                boolean last = p + stretch == depth;
                for (int s = 0; s < blocks; s++) {
                    int validRows = Math.min(rows, mcBlock - s * rows);
                    boolean direct = last && validRows == rows && validCols == cols;
                    int at = cIdx + s * rows * ldc + j;
                    micro.stretch(buffers.a, s * rows * depth + p * rows, buffers.b, j * depth + p * cols, stretch,
                            sums, s * block, p == 0, direct ? c : null, at, ldc, alpha, beta);
                    if (last && !direct) {
                        micro.storePartialBlock(sums, s * block, validRows, validCols, c, at, ldc, alpha, beta);
                    }
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

    /** The shape and blocking, for logs and the tuner, e.g. {@code 8x2 mc 64 kc 256 nc 512}. */
    String configuration() {
        return micro.shape() + " mc " + mc + " kc " + kc + " nc " + nc;
    }

    MicroKernel micro() {
        return micro;
    }

    GemmBlocking blocking() {
        return blocking;
    }

    /** Per-thread packing space, sized for the largest blocks, so a call allocates nothing. */
    private static final class Buffers {
        final float[] a;
        final float[] b;
        final float[] sums;
        final float[] scratch = new float[8 * DEPTH];

        Buffers(int mc, int nc, MicroKernel micro) {
            a = new float[mc * DEPTH];
            b = new float[DEPTH * nc];
            sums = new float[mc * micro.cols];
        }
    }
}
