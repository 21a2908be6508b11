package dev.ravine.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register-blocked core of {@link VectorGemm}: a {@link #rows} x {@link #cols} block of C (rows x
 * {@link #vectors} vectors) accumulated in vector registers over a packed sliver of A ({@link #rows} values per k)
 * and of B ({@link #cols} values per k). Each shape is its own subclass because its accumulators must be named
 * locals for C2 to keep them in registers; {@link MicroKernelChoice} picks the shape that fits the register file.
 *
 * <p>Every element of C gets the same arithmetic whatever the shape, and whether its block is full or on the edge:
 * the FMA chain over k starting from zero, then {@link #combine} (or its vector twin). That is why neither a tile's
 * position nor the kernel's shape or vector width ever changes its bits.
 */
abstract sealed class MicroKernel permits MicroKernel12x2, MicroKernel8x2, MicroKernel6x2, MicroKernel4x2 {
    static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    static final int LANES = SPECIES.length();

    /** The accumulators' start when a chain starts: zeros for the largest block, 12 x 2 vectors. */
    static final float[] ZEROS = new float[12 * 2 * LANES];
    /** A row of -0 vectors, the addend that makes a block's fma(sum, alpha, addend) store sum * alpha exactly. */
    static final float[] NEGATIVE_ZEROS = negativeZeros(2 * LANES);

    final int rows;
    final int vectors;
    final int cols;

    MicroKernel(int rows, int vectors) {
        this.rows = rows;
        this.vectors = vectors;
        this.cols = vectors * LANES;
    }

    /**
     * sums (rows x cols, row-major at sIdx) += Ap * Bp, where Ap holds kc groups of rows values from aIdx and Bp
     * holds kc groups of cols values from bIdx. Each sum's FMA chain goes on from the value in sums, so a chain cut
     * into several calls (zeroed sums first) gives the same bits as one call over the whole depth: that lets
     * {@link VectorGemm} cut the depth to fit its cache without changing results.
     */
    final void multiply(float[] ap, int aIdx, float[] bp, int bIdx, int kc, float[] sums, int sIdx) {
        stretch(ap, aIdx, bp, bIdx, kc, sums, sIdx, false, null, 0, 0, 0f, 0f);
    }

    /**
     * One stretch of kc of the block's FMA chains, {@link #multiply} with both ends chosen: the chains start
     * from zero when fromZero (else from sums, rows x cols row-major at sIdx), and when out is not null this is
     * their last stretch and the block goes into C (out at outIdx, row stride ldc) as {@link #combine} says,
     * else they are parked in sums. So a block whose depth fits one stretch never touches sums, and no pass zeroes
     * them or copies them into C. Every end is one fma per accumulator, fma(sum, scale, addend) into its target:
     * into C, scale alpha and addend old C (beta 1) or -0 (beta 0: x + -0 is x for every x, -0 included, so that
     * stores sum * alpha bit for bit, as {@link #combine}); parked, scale 1 and addend -0, which stores the sum
     * unchanged. Other betas park, then {@link #storeBlock}. One end for all cases keeps the method small: with
     * a separate park and combine end 12 x 2 outgrew C1 (out of virtual registers) and ran interpreted until C2
     * took it, seconds later; helpers taking the vectors hit C2's node-count inlining cutoff, and a vector passed
     * to a call that is not inlined is boxed (measured ten times slower).
     */
    abstract void stretch(float[] ap, int aIdx, float[] bp, int bIdx, int kc, float[] sums, int sIdx, boolean fromZero,
                          float[] out, int outIdx, int ldc, float alpha, float beta);

    /** Whether a stretch ends in sums: it is not the last (out is null), or its beta is neither 0 nor 1. */
    static boolean parks(float[] out, float beta) {
        return out == null || (beta != 0f && beta != 1f);
    }

    /** For logs and benchmarks, e.g. {@code 8x2}: rows x vectors. */
    String shape() {
        return rows + "x" + vectors;
    }

    /** C block (rows x cols at cIdx, row stride ldc) = combine(sums at sIdx, old C), a vector at a time. */
    final void storeBlock(float[] sums, int sIdx, float[] c, int cIdx, int ldc, float alpha, float beta) {
        FloatVector alphas = FloatVector.broadcast(SPECIES, alpha);
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < cols; j += LANES) {
                FloatVector sum = FloatVector.fromArray(SPECIES, sums, sIdx + r * cols + j);
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

    /** The part of C that a block cut by the edge of C covers: valid rows x cols, combined one element at a time. */
    final void storePartialBlock(float[] sums, int sIdx, int validRows, int validCols, float[] c, int cIdx, int ldc,
                                 float alpha, float beta) {
        for (int r = 0; r < validRows; r++) {
            for (int j = 0; j < validCols; j++) {
                int at = cIdx + r * ldc + j;
                c[at] = combine(sums[sIdx + r * cols + j], alpha, beta, beta == 0f ? 0f : c[at]);
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

    private static float[] negativeZeros(int count) {
        float[] values = new float[count];
        java.util.Arrays.fill(values, -0f);
        return values;
    }
}
