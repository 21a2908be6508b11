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
     * {@link VectorGemm} cut the depth to fit its cache without changing results. The sums go through memory rather
     * than straight into C because a helper that took vectors as arguments would be too big for C2 to inline, and
     * then every vector passed is boxed: measured ten times slower. The detour through L1 is 2 x rows x vectors
     * vector moves per rows * cols * kc multiply-adds.
     */
    abstract void multiply(float[] ap, int aIdx, float[] bp, int bIdx, int kc, float[] sums, int sIdx);

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
}
