package dev.ravine.kernel;

import static dev.ravine.kernel.MicroKernel.LANES;
import static dev.ravine.kernel.MicroKernel.SPECIES;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;

/**
 * Packs a GEMM panel straight from a zero-padded image, in the sliver layout {@link VectorPacking#packB} produces,
 * so a convolution needs no im2col matrix. Every entry of the virtual patch matrix is
 * {@code image[base + outer[r] + inner[j]]}: one table holds each row's offset, the other each column's, so the
 * same gather serves the forward pass (rows are kernel taps (ci, ky, kx), columns output positions) and the weight
 * gradient (rows are positions, columns taps). The padding is real zeros in the image, so no entry needs a bounds
 * test.
 */
final class PatchPanels {
    private PatchPanels() {}

    /**
     * Packs rows [rowStart, rowStart + kc) and columns [colStart, colStart + cols) of the patch matrix as
     * ceil(cols / width) slivers of kc x width into dest; lanes past the last column are zero. A B panel's width is
     * a multiple of the vector length and is read a vector at a time: vectors of adjacent offsets (the forward
     * pass's output positions within a row) as one plain load, the others gathered; an A panel's (the
     * micro-kernel's rows) is narrower and is read one value at a time.
     */
    static void pack(float[] image, int base, int[] outer, int rowStart, int kc, int[] inner, int colStart, int cols,
                     int width, float[] dest) {
        for (int j0 = 0; j0 < cols; j0 += width) {
            int valid = Math.min(width, cols - j0);
            int sliver = j0 * kc;
            int full = valid - valid % LANES;
            int innerFrom = colStart + j0;
            long adjacent = adjacentVectors(inner, innerFrom, full);
            for (int r = 0; r < kc; r++) {
                int from = base + outer[rowStart + r];
                int to = sliver + r * width;
                int v = 0;
                for (; v < full; v += LANES) {
                    int at = innerFrom + v;
                    // Each branch stores its own vector: a vector merged from two branches may be boxed.
                    if ((adjacent >>> (v / LANES) & 1) != 0) {
                        FloatVector.fromArray(SPECIES, image, from + inner[at]).intoArray(dest, to + v);
                    } else {
                        FloatVector.fromArray(SPECIES, image, from, inner, at).intoArray(dest, to + v);
                    }
                }
                for (; v < valid; v++) dest[to + v] = image[from + inner[innerFrom + v]];
                if (valid < width) Arrays.fill(dest, to + valid, to + width, 0f);
            }
        }
    }

    /**
     * {@link #pack} for panels whose columns are kernel taps (the weight gradient's), which come in runs of kw and
     * so never fill an adjacent vector unless kw exceeds the vector length: every vector is gathered, with no
     * per-vector test. Same values as pack; sharing pack's loop cost these panels 9-21% on Zen 3.
     */
    static void packGathered(float[] image, int base, int[] outer, int rowStart, int kc, int[] inner, int colStart,
                             int cols, int width, float[] dest) {
        for (int j0 = 0; j0 < cols; j0 += width) {
            int valid = Math.min(width, cols - j0);
            int sliver = j0 * kc;
            int full = valid - valid % LANES;
            int innerFrom = colStart + j0;
            for (int r = 0; r < kc; r++) {
                int from = base + outer[rowStart + r];
                int to = sliver + r * width;
                int v = 0;
                for (; v < full; v += LANES) {
                    FloatVector.fromArray(SPECIES, image, from, inner, innerFrom + v).intoArray(dest, to + v);
                }
                // The tail stays inline in each loop: as a shared helper its profile mixed the two kinds' and the
                // forward pack ran about 10% slower.
                for (; v < valid; v++) dest[to + v] = image[from + inner[innerFrom + v]];
                if (valid < width) Arrays.fill(dest, to + valid, to + width, 0f);
            }
        }
    }

    /**
     * Bit i set where the i-th vector of columns from {@code from} (count a multiple of the vector length, at most
     * 64 vectors) has adjacent offsets, inner[at + l] == inner[at] + l: those read the image as one plain load,
     * the same values as the gather. They are the forward pass's output positions within a row at stride 1, every
     * vector but those that cross a row's end; a gather of 8 floats (AVX2's vgatherdps) costs several times a load
     * on Zen 3, where gathering took 28% of the CNN's step on one thread. Computed once per sliver, because a
     * sliver's columns are the same for all its rows.
     */
    static long adjacentVectors(int[] inner, int from, int count) {
        long adjacent = 0;
        for (int v = 0; v < count; v += LANES) {
            boolean run = true;
            for (int l = 1; l < LANES && run; l++) run = inner[from + v + l] == inner[from + v] + l;
            if (run) adjacent |= 1L << (v / LANES);
        }
        return adjacent;
    }

    /**
     * The offset of each kernel tap (ci, ky, kx), row index (ci * kh + ky) * kw + kx, in a c x paddedH x paddedW
     * image, with dilation 1.
     */
    static int[] tapOffsets(int c, int kh, int kw, int paddedH, int paddedW) {
        int[] offsets = new int[c * kh * kw];
        int row = 0;
        for (int ci = 0; ci < c; ci++) {
            for (int ky = 0; ky < kh; ky++) {
                for (int kx = 0; kx < kw; kx++) offsets[row++] = (ci * paddedH + ky) * paddedW + kx;
            }
        }
        return offsets;
    }

    /** The offset of each output position's window corner (oy * strideH, ox * strideW) in a padded plane. */
    static int[] positionOffsets(int outH, int outW, int strideH, int strideW, int paddedW) {
        int[] offsets = new int[outH * outW];
        for (int oy = 0; oy < outH; oy++) {
            for (int ox = 0; ox < outW; ox++) offsets[oy * outW + ox] = oy * strideH * paddedW + ox * strideW;
        }
        return offsets;
    }
}
