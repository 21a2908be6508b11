package dev.ravine.kernel;

import static dev.ravine.kernel.VectorMicroKernel.COLS;
import static dev.ravine.kernel.VectorMicroKernel.LANES;
import static dev.ravine.kernel.VectorMicroKernel.ROWS;
import static dev.ravine.kernel.VectorMicroKernel.SPECIES;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Copies blocks of op(A) and op(B) into the order {@link VectorMicroKernel} reads them: slivers of ROWS rows of A
 * (resp. COLS columns of B), each laid out k-major so the kernel walks memory strictly forward. Packing absorbs the
 * transposes, and pads the last sliver with zeros so the kernel never needs a short form.
 */
final class VectorPacking {
    /** Moves a group of 8 rows of A in one go, where 256-bit vectors are native (emulated they are slower than scalar). */
    private static final VectorSpecies<Float> EIGHT_LANES = FloatVector.SPECIES_256;
    private static final boolean EIGHT_LANES_NATIVE = SPECIES.vectorBitSize() >= 256;

    private VectorPacking() {}

    /**
     * Packs op(A)[rowStart .. rowStart+rows, kStart .. kStart+kc] as ceil(rows / ROWS) slivers of ROWS x kc.
     * op(A)[i, p] is a[aOff + i * lda + p], or a[aOff + p * lda + i] when transA.
     */
    static void packA(boolean transA, float[] a, int aOff, int lda, int rowStart, int rows, int kStart, int kc,
                      float[] dest) {
        for (int i0 = 0; i0 < rows; i0 += ROWS) {
            int valid = Math.min(ROWS, rows - i0);
            int sliver = i0 * kc;
            if (transA) {
                packColumnsOfStoredA(a, aOff + kStart * lda + rowStart + i0, lda, valid, kc, dest, sliver);
            } else {
                packRowsOfStoredA(a, aOff + (rowStart + i0) * lda + kStart, lda, valid, kc, dest, sliver);
            }
        }
    }

    /** A stored m x k: each of the sliver's rows is contiguous in k and lands every ROWS floats. */
    private static void packRowsOfStoredA(float[] a, int src, int lda, int valid, int kc, float[] dest, int sliver) {
        int p = 0;
        if (valid == ROWS && ROWS == 8 && Transpose8x8.AVAILABLE) {
            p = Transpose8x8.transposeStrip(a, src, lda, kc, dest, sliver, ROWS);
        }
        for (int r = 0; r < valid; r++) {
            int rowSrc = src + r * lda;
            for (int q = p; q < kc; q++) dest[sliver + q * ROWS + r] = a[rowSrc + q];
        }
        zeroPadding(dest, sliver, ROWS, valid, kc);
    }

    /** A stored k x m: for each p the sliver's ROWS values are already adjacent. */
    private static void packColumnsOfStoredA(float[] a, int src, int lda, int valid, int kc, float[] dest, int sliver) {
        if (valid == ROWS && ROWS == 8 && EIGHT_LANES_NATIVE) {
            for (int p = 0; p < kc; p++) FloatVector.fromArray(EIGHT_LANES, a, src + p * lda).intoArray(dest, sliver + p * ROWS);
            return;
        }
        for (int p = 0; p < kc; p++) System.arraycopy(a, src + p * lda, dest, sliver + p * ROWS, valid);
        zeroPadding(dest, sliver, ROWS, valid, kc);
    }

    /**
     * Packs op(B)[kStart .. kStart+kc, colStart .. colStart+cols] as ceil(cols / COLS) slivers of kc x COLS.
     * op(B)[p, j] is b[bOff + p * ldb + j], or b[bOff + j * ldb + p] when transB.
     */
    static void packB(boolean transB, float[] b, int bOff, int ldb, int kStart, int kc, int colStart, int cols,
                      float[] dest) {
        for (int j0 = 0; j0 < cols; j0 += COLS) {
            int valid = Math.min(COLS, cols - j0);
            int sliver = j0 * kc;
            if (transB) {
                packRowsOfStoredB(b, bOff + (colStart + j0) * ldb + kStart, ldb, valid, kc, dest, sliver);
            } else if (valid == COLS) {
                packFullColumns(b, bOff + kStart * ldb + colStart + j0, ldb, kc, dest, sliver);
            } else {
                packPartialColumns(b, bOff + kStart * ldb + colStart + j0, ldb, valid, kc, dest, sliver);
            }
        }
    }

    /** B stored k x n, full sliver: each p is two vector copies. */
    private static void packFullColumns(float[] b, int src, int ldb, int kc, float[] dest, int sliver) {
        for (int p = 0; p < kc; p++) {
            int from = src + p * ldb;
            int to = sliver + p * COLS;
            FloatVector.fromArray(SPECIES, b, from).intoArray(dest, to);
            FloatVector.fromArray(SPECIES, b, from + LANES).intoArray(dest, to + LANES);
        }
    }

    private static void packPartialColumns(float[] b, int src, int ldb, int valid, int kc, float[] dest, int sliver) {
        for (int p = 0; p < kc; p++) System.arraycopy(b, src + p * ldb, dest, sliver + p * COLS, valid);
        zeroPadding(dest, sliver, COLS, valid, kc);
    }

    /** B stored n x k: each of the sliver's columns is a contiguous row of the stored B and lands every COLS floats. */
    private static void packRowsOfStoredB(float[] b, int src, int ldb, int valid, int kc, float[] dest, int sliver) {
        int p = 0;
        if (valid == COLS && COLS % 8 == 0 && Transpose8x8.AVAILABLE) {
            for (int j = 0; j < COLS; j += 8) p = Transpose8x8.transposeStrip(b, src + j * ldb, ldb, kc, dest, sliver + j, COLS);
        }
        for (int j = 0; j < valid; j++) {
            int rowSrc = src + j * ldb;
            for (int q = p; q < kc; q++) dest[sliver + q * COLS + j] = b[rowSrc + q];
        }
        zeroPadding(dest, sliver, COLS, valid, kc);
    }

    /** Zeroes lanes valid..width-1 of every k step of a sliver, so padding contributes nothing to the sums. */
    private static void zeroPadding(float[] dest, int sliver, int width, int valid, int kc) {
        if (valid == width) return;
        for (int p = 0; p < kc; p++) {
            int at = sliver + p * width;
            Arrays.fill(dest, at + valid, at + width, 0f);
        }
    }
}
