package dev.ravine.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register-blocked core of {@link VectorGemm}: an {@value #ROWS} x {@link #COLS} block of C accumulated in 16
 * vector registers over a packed sliver of A ({@value #ROWS} values per k) and of B ({@link #COLS} values per k).
 *
 * <p>8 rows x 2 vectors keeps 16 accumulators, enough independent FMA chains to cover FMA latency on two pipes, and
 * with the 2 B vectors and the A broadcast fits the 32 registers of AVX-512. In an isolated test on Zen 5 it ran
 * within 3% of the best shape (6 x 4); on 16-register AVX2 it spills a little yet beat the spill-free 6 x 2 and
 * 4 x 3 by a third. 8 rows divide the usual batch and layer sizes (128, 512, 784), and 32 columns divide 128 and 512,
 * so few blocks take the edge path.
 *
 * <p>Every element of C gets the same arithmetic whether its block is full or on the edge: the FMA chain over k
 * starting from zero, then {@link #combine} (or its vector twin). That is why a tile's position never changes its
 * bits.
 */
final class VectorMicroKernel {
    static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    static final int LANES = SPECIES.length();
    static final int ROWS = 8;
    static final int COLS = 2 * LANES;

    private VectorMicroKernel() {}

    /**
     * sums (ROWS x COLS, row-major) = Ap * Bp, where Ap holds kc groups of ROWS values from aIdx and Bp holds kc
     * groups of COLS values from bIdx. The sums go through memory rather than straight into C because a helper that
     * took vectors as arguments would be too big for C2 to inline, and then every vector passed is boxed: measured
     * ten times slower. The detour through L1 is 32 vector moves per 8 * COLS * kc multiply-adds.
     */
    static void multiply(float[] ap, int aIdx, float[] bp, int bIdx, int kc, float[] sums) {
        FloatVector c00 = FloatVector.zero(SPECIES), c01 = FloatVector.zero(SPECIES);
        FloatVector c10 = FloatVector.zero(SPECIES), c11 = FloatVector.zero(SPECIES);
        FloatVector c20 = FloatVector.zero(SPECIES), c21 = FloatVector.zero(SPECIES);
        FloatVector c30 = FloatVector.zero(SPECIES), c31 = FloatVector.zero(SPECIES);
        FloatVector c40 = FloatVector.zero(SPECIES), c41 = FloatVector.zero(SPECIES);
        FloatVector c50 = FloatVector.zero(SPECIES), c51 = FloatVector.zero(SPECIES);
        FloatVector c60 = FloatVector.zero(SPECIES), c61 = FloatVector.zero(SPECIES);
        FloatVector c70 = FloatVector.zero(SPECIES), c71 = FloatVector.zero(SPECIES);
        for (int p = 0; p < kc; p++, aIdx += ROWS, bIdx += COLS) {
            FloatVector b0 = FloatVector.fromArray(SPECIES, bp, bIdx);
            FloatVector b1 = FloatVector.fromArray(SPECIES, bp, bIdx + LANES);
            FloatVector a = FloatVector.broadcast(SPECIES, ap[aIdx]);
            c00 = a.fma(b0, c00);
            c01 = a.fma(b1, c01);
            a = FloatVector.broadcast(SPECIES, ap[aIdx + 1]);
            c10 = a.fma(b0, c10);
            c11 = a.fma(b1, c11);
            a = FloatVector.broadcast(SPECIES, ap[aIdx + 2]);
            c20 = a.fma(b0, c20);
            c21 = a.fma(b1, c21);
            a = FloatVector.broadcast(SPECIES, ap[aIdx + 3]);
            c30 = a.fma(b0, c30);
            c31 = a.fma(b1, c31);
            a = FloatVector.broadcast(SPECIES, ap[aIdx + 4]);
            c40 = a.fma(b0, c40);
            c41 = a.fma(b1, c41);
            a = FloatVector.broadcast(SPECIES, ap[aIdx + 5]);
            c50 = a.fma(b0, c50);
            c51 = a.fma(b1, c51);
            a = FloatVector.broadcast(SPECIES, ap[aIdx + 6]);
            c60 = a.fma(b0, c60);
            c61 = a.fma(b1, c61);
            a = FloatVector.broadcast(SPECIES, ap[aIdx + 7]);
            c70 = a.fma(b0, c70);
            c71 = a.fma(b1, c71);
        }
        c00.intoArray(sums, 0);
        c01.intoArray(sums, LANES);
        c10.intoArray(sums, COLS);
        c11.intoArray(sums, COLS + LANES);
        c20.intoArray(sums, 2 * COLS);
        c21.intoArray(sums, 2 * COLS + LANES);
        c30.intoArray(sums, 3 * COLS);
        c31.intoArray(sums, 3 * COLS + LANES);
        c40.intoArray(sums, 4 * COLS);
        c41.intoArray(sums, 4 * COLS + LANES);
        c50.intoArray(sums, 5 * COLS);
        c51.intoArray(sums, 5 * COLS + LANES);
        c60.intoArray(sums, 6 * COLS);
        c61.intoArray(sums, 6 * COLS + LANES);
        c70.intoArray(sums, 7 * COLS);
        c71.intoArray(sums, 7 * COLS + LANES);
    }

    /** C block (ROWS x COLS at cIdx, row stride ldc) = combine(sums, old C), a vector at a time. */
    static void storeBlock(float[] sums, float[] c, int cIdx, int ldc, float alpha, float beta) {
        FloatVector alphas = FloatVector.broadcast(SPECIES, alpha);
        for (int r = 0; r < ROWS; r++) {
            for (int j = 0; j < COLS; j += LANES) {
                FloatVector sum = FloatVector.fromArray(SPECIES, sums, r * COLS + j);
                int at = cIdx + r * ldc + j;
                FloatVector result;
                if (beta == 0f) {
                    result = sum.mul(alphas);
                } else {
                    FloatVector old = FloatVector.fromArray(SPECIES, c, at);
                    result = sum.fma(alphas, beta == 1f ? old : old.mul(beta));
                }
                result.intoArray(c, at);
            }
        }
    }

    /** The part of C that a block cut by the edge of C covers: rows x cols, combined one element at a time. */
    static void storePartialBlock(float[] sums, int rows, int cols, float[] c, int cIdx, int ldc, float alpha, float beta) {
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < cols; j++) {
                int at = cIdx + r * ldc + j;
                c[at] = combine(sums[r * COLS + j], alpha, beta, beta == 0f ? 0f : c[at]);
            }
        }
    }

    /**
     * How a sum enters C, as BLAS defines it: alpha * sum + beta * old, never reading old when beta == 0. The
     * scalar twin of {@link #storeBlock}: a mul and an fma, each rounded once, so both give the same bits.
     */
    static float combine(float sum, float alpha, float beta, float old) {
        if (beta == 0f) return sum * alpha;
        return Math.fma(sum, alpha, beta == 1f ? old : old * beta);
    }
}
