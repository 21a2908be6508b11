package dev.ravine.kernel;

import static dev.ravine.kernel.MicroKernel.LANES;
import static dev.ravine.kernel.MicroKernel.SPECIES;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Copies blocks of op(A) and op(B) into the order a {@link MicroKernel} reads them: slivers of its rows of A
 * (resp. its cols columns of B), each laid out k-major so the kernel walks memory strictly forward. Packing absorbs the
 * transposes, and pads the last sliver with zeros so the kernel never needs a short form.
 */
final class VectorPacking {
    /** Moves a group of 8 rows of A in one go, where 256-bit vectors are native (emulated they are slower than scalar). */
    private static final VectorSpecies<Float> EIGHT_LANES = FloatVector.SPECIES_256;
    private static final boolean EIGHT_LANES_NATIVE = SPECIES.vectorBitSize() >= 256;
    private static final VectorSpecies<Float> FOUR_LANES = FloatVector.SPECIES_128;

    private VectorPacking() {}

    /**
     * Packs op(A)[rowStart .. rowStart+rows, kStart .. kStart+kc] as ceil(rows / width) slivers of width x kc;
     * scratch holds at least 8 x kc floats.
     * op(A)[i, p] is a[aOff + i * lda + p], or a[aOff + p * lda + i] when transA.
     */
    static void packA(boolean transA, float[] a, int aOff, int lda, int rowStart, int rows, int kStart, int kc,
                      int width, float[] dest, float[] scratch) {
        for (int i0 = 0; i0 < rows; i0 += width) {
            int valid = Math.min(width, rows - i0);
            int sliver = i0 * kc;
            if (!transA && width == 4 && rows - i0 >= 8 && Transpose8x8.AVAILABLE) {
                packEightRowsOfStoredA(a, aOff + (rowStart + i0) * lda + kStart, lda, kc, dest, sliver, scratch);
                i0 += width; // the next sliver is done too
            } else if (!transA && width == 6 && rows - i0 >= 8 && Transpose8x8.AVAILABLE) {
                packSixOfEightRowsOfStoredA(a, aOff + (rowStart + i0) * lda + kStart, lda, kc, dest, sliver, scratch);
            } else if (transA) {
                packColumnsOfStoredA(a, aOff + kStart * lda + rowStart + i0, lda, valid, kc, width, dest, sliver);
            } else {
                packRowsOfStoredA(a, aOff + (rowStart + i0) * lda + kStart, lda, valid, kc, width, dest, sliver);
            }
        }
    }

    /** A stored m x k: each of the sliver's rows is contiguous in k and lands every width floats. */
    private static void packRowsOfStoredA(float[] a, int src, int lda, int valid, int kc, int width, float[] dest,
                                          int sliver) {
        int p = 0;
        if (valid == 8 && width == 8 && Transpose8x8.AVAILABLE) {
            p = Transpose8x8.transposeStrip(a, src, lda, kc, dest, sliver, width);
        }
        for (int r = 0; r < valid; r++) {
            int rowSrc = src + r * lda;
            for (int q = p; q < kc; q++) dest[sliver + q * width + r] = a[rowSrc + q];
        }
        zeroPadding(dest, sliver, width, valid, kc);
    }

    /**
     * A stored m x k, two full 4-row slivers at once: the 8 x 8 transpose writes an 8-row sliver into scratch,
     * whose halves are then split into place with 4-lane copies (an extra pass over L1-resident data, far cheaper
     * than the element-wise transpose).
     */
    private static void packEightRowsOfStoredA(float[] a, int src, int lda, int kc, float[] dest, int sliver,
                                               float[] scratch) {
        int p = Transpose8x8.transposeStrip(a, src, lda, kc, scratch, 0, 8);
        int lower = sliver + 4 * kc;
        for (int q = 0; q < p; q++) {
            FloatVector.fromArray(FOUR_LANES, scratch, q * 8).intoArray(dest, sliver + q * 4);
            FloatVector.fromArray(FOUR_LANES, scratch, q * 8 + 4).intoArray(dest, lower + q * 4);
        }
        for (int r = 0; r < 8; r++) {
            int rowSrc = src + r * lda;
            int to = r < 4 ? sliver + r : lower + r - 4;
            for (int q = p; q < kc; q++) dest[to + q * 4] = a[rowSrc + q];
        }
    }

    /**
     * A stored m x k, one 6-row sliver, where 8 rows of A remain from its first: the 8 x 8 transpose writes the 8
     * rows into scratch, and each k step's first 6 lanes go into place as one 8-lane store whose last 2 lanes the
     * next step overwrites (the last step is copied lane by lane, so nothing lands past the sliver).
     */
    private static void packSixOfEightRowsOfStoredA(float[] a, int src, int lda, int kc, float[] dest, int sliver,
                                                   float[] scratch) {
        int p = Transpose8x8.transposeStrip(a, src, lda, kc, scratch, 0, 8);
        for (int q = 0; q < p - 1; q++) FloatVector.fromArray(EIGHT_LANES, scratch, q * 8).intoArray(dest, sliver + q * 6);
        if (p > 0) System.arraycopy(scratch, (p - 1) * 8, dest, sliver + (p - 1) * 6, 6);
        for (int r = 0; r < 6; r++) {
            int rowSrc = src + r * lda;
            for (int q = p; q < kc; q++) dest[sliver + q * 6 + r] = a[rowSrc + q];
        }
    }

    /** A stored k x m: for each p the sliver's width values are already adjacent. */
    private static void packColumnsOfStoredA(float[] a, int src, int lda, int valid, int kc, int width, float[] dest,
                                             int sliver) {
        if (valid == 8 && width == 8 && EIGHT_LANES_NATIVE) {
            for (int p = 0; p < kc; p++) FloatVector.fromArray(EIGHT_LANES, a, src + p * lda).intoArray(dest, sliver + p * 8);
            return;
        }
        if (valid == 6 && width == 6 && EIGHT_LANES_NATIVE) {
            packSixColumnsOfStoredA(a, src, lda, kc, dest, sliver);
            return;
        }
        if (valid == 4 && width == 4) {
            for (int p = 0; p < kc; p++) FloatVector.fromArray(FOUR_LANES, a, src + p * lda).intoArray(dest, sliver + p * 4);
            return;
        }
        for (int p = 0; p < kc; p++) {
            int from = src + p * lda, to = sliver + p * width;
            for (int r = 0; r < valid; r++) dest[to + r] = a[from + r];
        }
        zeroPadding(dest, sliver, width, valid, kc);
    }

    /**
     * A stored k x m, a full 6-row sliver: each k step is one 8-lane copy whose last 2 lanes the next step
     * overwrites, except where the 8-lane read would pass the end of A and for the last step, copied lane by lane.
     */
    private static void packSixColumnsOfStoredA(float[] a, int src, int lda, int kc, float[] dest, int sliver) {
        int p = 0;
        for (; p < kc - 1 && src + p * lda + 8 <= a.length; p++) {
            FloatVector.fromArray(EIGHT_LANES, a, src + p * lda).intoArray(dest, sliver + p * 6);
        }
        for (; p < kc; p++) System.arraycopy(a, src + p * lda, dest, sliver + p * 6, 6);
    }

    /**
     * Packs op(B)[kStart .. kStart+kc, colStart .. colStart+cols] as ceil(cols / width) slivers of kc x width
     * (width a multiple of the vector length). op(B)[p, j] is b[bOff + p * ldb + j], or b[bOff + j * ldb + p] when
     * transB.
     */
    static void packB(boolean transB, float[] b, int bOff, int ldb, int kStart, int kc, int colStart, int cols,
                      int width, float[] dest) {
        int fullCols = transB ? 0 : cols / width * width;
        if (fullCols > 0) packFullSliversByRowGroup(b, bOff + kStart * ldb + colStart, ldb, kc, fullCols, width, dest);
        for (int j0 = fullCols; j0 < cols; j0 += width) {
            int valid = Math.min(width, cols - j0);
            int sliver = j0 * kc;
            if (transB) {
                packRowsOfStoredB(b, bOff + (colStart + j0) * ldb + kStart, ldb, valid, kc, width, dest, sliver);
            } else {
                packPartialColumns(b, bOff + kStart * ldb + colStart + j0, ldb, valid, kc, width, dest, sliver);
            }
        }
    }

    /** Rows of B that {@link #packFullSliversByRowGroup} copies into one sliver before it moves on to the next. */
    private static final int ROW_GROUP = 16;

    /**
     * B stored k x n, the full slivers of a block (fullCols columns), {@link #ROW_GROUP} rows of B at a time: each
     * group's rows are read front to back (they stay in L1 while every sliver takes its piece), and each sliver
     * receives group x width floats in one contiguous run. Row by row, the slivers' next k steps lie kc x width
     * floats apart (32 KiB at kc 512 and 512-bit 8 x 2), a power of two, so every write of a row fell into the
     * same L1 set and evicted the others: measured on the model 207 Xeon, one thread, thread CPU time, the 784 x 256
     * B tile of 128x784x512 NN (depth 512), row by row 32 us (512-bit 8 x 2) and 60-70 us (256-bit 4 x 2),
     * in groups of 8 rows 20-22 and 37-51, of 16 rows 17-21 and 37-40 (load 3.4). Row by row itself beat packing
     * sliver by sliver (which walks down B's rows once per sliver) by 1-6% on the model 167 Xeon.
     */
    private static void packFullSliversByRowGroup(float[] b, int src, int ldb, int kc, int fullCols, int width,
                                                  float[] dest) {
        for (int p0 = 0; p0 < kc; p0 += ROW_GROUP) {
            int pEnd = Math.min(kc, p0 + ROW_GROUP);
            for (int j0 = 0; j0 < fullCols; j0 += width) {
                int to = j0 * kc + p0 * width;
                for (int p = p0; p < pEnd; p++, to += width) {
                    int from = src + p * ldb + j0;
                    for (int v = 0; v < width; v += LANES) FloatVector.fromArray(SPECIES, b, from + v).intoArray(dest, to + v);
                }
            }
        }
    }

    private static void packPartialColumns(float[] b, int src, int ldb, int valid, int kc, int width, float[] dest,
                                           int sliver) {
        for (int p = 0; p < kc; p++) System.arraycopy(b, src + p * ldb, dest, sliver + p * width, valid);
        zeroPadding(dest, sliver, width, valid, kc);
    }

    /**
     * Sliver size (floats) above which {@link #packRowsOfStoredB} transposes all its rows 8 k steps at a time rather
     * than 8 rows at a time over the whole depth. Measured on the model 207 Xeon, one thread, thread CPU time, best of
     * 3000, the 400 x 512 B^T tile of 128x512x784 NT (load 15-20, alternating runs): 512-bit 8 x 2 (slivers of
     * 512 x 32 floats, 64 KiB, more than the 48 KiB L1d) by strips 66-85 us (median of 4 about 84), by row blocks
     * 56-63 (about 60); AVX2 4 x 2 (512 x 16, 32 KiB, which stays in L1) by strips 82-83 us, by row blocks (in an
     * earlier nested-loop form) 94-105, so AVX2's slivers, never over this size at the chain depth 512, keep strips.
     * The row blocks take 16 k steps of each before the next (span 16, see {@link Transpose8x8}): on a Zen 4
     * (32 KiB L1d), one thread, the whole 784 x 512 B^T of 128x512x784 NT packed in 75-80 us against 85-107 by 8.
     */
    private static final int ROW_BLOCKS_FROM = 8 * 1024;

    /** B stored n x k: each of the sliver's columns is a contiguous row of the stored B and lands every width floats. */
    private static void packRowsOfStoredB(float[] b, int src, int ldb, int valid, int kc, int width, float[] dest,
                                          int sliver) {
        int p = 0;
        if (valid == width && width % 8 == 0 && Transpose8x8.AVAILABLE) {
            if (kc * width > ROW_BLOCKS_FROM) {
                p = Transpose8x8.transposeRowsBy16(b, src, ldb, width / 8, kc, dest, sliver, width);
            } else {
                for (int j = 0; j < width; j += 8) p = Transpose8x8.transposeStrip(b, src + j * ldb, ldb, kc, dest, sliver + j, width);
            }
        }
        for (int j = 0; j < valid; j++) {
            int rowSrc = src + j * ldb;
            for (int q = p; q < kc; q++) dest[sliver + q * width + j] = b[rowSrc + q];
        }
        zeroPadding(dest, sliver, width, valid, kc);
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
