package dev.ravine.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Transposes 8 x 8 blocks of floats in vector registers, for the packing steps that turn rows into columns
 * (A stored m x k, B stored n x k). Done element by element those steps cost about twice as much, and they are a
 * visible share of the MLP-sized products.
 */
final class Transpose8x8 {
    private static final VectorSpecies<Float> EIGHT = FloatVector.SPECIES_256;
    private static final VectorSpecies<Integer> EIGHT_INTS = IntVector.SPECIES_256;

    /**
     * Only where 256-bit vectors are native: elsewhere (128-bit NEON) the Vector API would emulate them, which is
     * far slower than the scalar loop.
     */
    static final boolean AVAILABLE = FloatVector.SPECIES_PREFERRED.vectorBitSize() >= 256;

    // Lane selectors for selectFrom(x, y): values 0-7 pick lanes of x, 8-15 lanes of y. The lanes are moved as ints
    // (the floats' bits, reinterpreted for free): float selectors must be turned into lane indices on every
    // selectFrom, and the int network transposed a 392 x 512 B^T (NT's B tile) in 70 us instead of 98 at 512 bits
    // and 81 instead of 101 at 256 (one thread, thread CPU time, median of 15, load 3.4, model 207 Xeon).
    /** Interleaves single lanes of two rows: (x0 y0 x1 y1 x2 y2 x3 y3), then the upper halves. */
    private static final IntVector PAIRS_LOW = selector(0, 8, 1, 9, 2, 10, 3, 11);
    private static final IntVector PAIRS_HIGH = selector(4, 12, 5, 13, 6, 14, 7, 15);
    /** Interleaves pairs of lanes: (x0 x1 y0 y1 x2 x3 y2 y3), then the upper halves. */
    private static final IntVector QUADS_LOW = selector(0, 1, 8, 9, 2, 3, 10, 11);
    private static final IntVector QUADS_HIGH = selector(4, 5, 12, 13, 6, 7, 14, 15);
    /** Joins the lower (resp. upper) four lanes of x and y. */
    private static final IntVector HALVES_LOW = selector(0, 1, 2, 3, 8, 9, 10, 11);
    private static final IntVector HALVES_HIGH = selector(4, 5, 6, 7, 12, 13, 14, 15);

    private Transpose8x8() {}

    /**
     * Transposes the strip of 8 rows x width columns at src[from + r * ld + c] into dest[to + c * destStride + r],
     * 8 columns at a time; returns how many columns it did (width rounded down to a multiple of 8), leaving the rest
     * to the caller.
     */
    static int transposeStrip(float[] src, int from, int ld, int width, float[] dest, int to, int destStride) {
        return transposeRows(src, from, ld, 1, width, dest, to, destStride);
    }

    /**
     * Transposes rowBlocks x 8 rows x width columns at src[from + r * ld + c] into dest[to + c * destStride + r],
     * 8 columns of every row block before the next 8 columns; returns how many columns it did (width rounded down
     * to a multiple of 8). With destStride = 8 x rowBlocks each step of 8 columns fills one contiguous run of dest
     * (a whole B sliver's next 8 k steps), where a strip at a time revisits every line of the sliver once per row
     * block, after the sliver (64 KiB at depth 512 and 512-bit 8 x 2) has pushed it out of L1. The loop lives here,
     * with the selectors in locals, because C2 will not inline a block-sized transpose into its callers and then
     * re-materialises the constants on every call.
     */
    static int transposeRows(float[] src, int from, int ld, int rowBlocks, int width, float[] dest, int to,
                             int destStride) {
        return transposeRows(src, from, ld, rowBlocks, 8, width, dest, to, destStride);
    }

    /**
     * {@link #transposeRows(float[], int, int, int, int, float[], int, int)} taking span columns (8 or 16) of each
     * row block before the next row block: with 16, every 64-byte line of a source row is used up in one visit.
     * With 8 a line is visited twice, and between the visits the other row blocks' rows come through the same L1
     * sets when ld is a power of two (rows 2 KiB apart at depth 512 fall into 2 of the 64 sets of a 32 KiB 8-way
     * L1d), so it is fetched again: on a Zen 4 (32 KiB L1d), one thread, a 512 x 32 B^T sliver at ld 512 took
     * 15.4-16.2 ns per 8 x 8 block by 8 columns against 11.0 by 16 (9.4 at ld 784, where the sets differ). Columns
     * past the last whole span are done 8 at a time.
     */
    static int transposeRows(float[] src, int from, int ld, int rowBlocks, int span, int width, float[] dest, int to,
                             int destStride) {
        IntVector pairsLow = PAIRS_LOW, pairsHigh = PAIRS_HIGH;
        IntVector quadsLow = QUADS_LOW, quadsHigh = QUADS_HIGH;
        IntVector halvesLow = HALVES_LOW, halvesHigh = HALVES_HIGH;
        int columns = width / span * span;
        // One flat loop over (span columns, row block, 8 of the span) steps: with a nested loop the AVX2 strips (one row block) of the
        // 400 x 512 B^T tile took 94-98 us against 79-82 before; flat, 66-70 against 67-85 (median 80), load 15-20.
        for (int c = 0, block = 0, step = 0; c < columns; ) {
            int column = c + step;
            int in = from + block * 8 * ld + column;
            IntVector r0 = FloatVector.fromArray(EIGHT, src, in).reinterpretAsInts();
            IntVector r1 = FloatVector.fromArray(EIGHT, src, in + ld).reinterpretAsInts();
            IntVector r2 = FloatVector.fromArray(EIGHT, src, in + 2 * ld).reinterpretAsInts();
            IntVector r3 = FloatVector.fromArray(EIGHT, src, in + 3 * ld).reinterpretAsInts();
            IntVector r4 = FloatVector.fromArray(EIGHT, src, in + 4 * ld).reinterpretAsInts();
            IntVector r5 = FloatVector.fromArray(EIGHT, src, in + 5 * ld).reinterpretAsInts();
            IntVector r6 = FloatVector.fromArray(EIGHT, src, in + 6 * ld).reinterpretAsInts();
            IntVector r7 = FloatVector.fromArray(EIGHT, src, in + 7 * ld).reinterpretAsInts();
            // Rows r, r+1 -> columns 0-3 (p) and 4-7 (q) of those two rows, lane-interleaved.
            IntVector p01 = pairsLow.selectFrom(r0, r1), q01 = pairsHigh.selectFrom(r0, r1);
            IntVector p23 = pairsLow.selectFrom(r2, r3), q23 = pairsHigh.selectFrom(r2, r3);
            IntVector p45 = pairsLow.selectFrom(r4, r5), q45 = pairsHigh.selectFrom(r4, r5);
            IntVector p67 = pairsLow.selectFrom(r6, r7), q67 = pairsHigh.selectFrom(r6, r7);
            // Rows 0-3 (top) or 4-7 (bottom) of two adjacent columns.
            IntVector c01top = quadsLow.selectFrom(p01, p23), c23top = quadsHigh.selectFrom(p01, p23);
            IntVector c45top = quadsLow.selectFrom(q01, q23), c67top = quadsHigh.selectFrom(q01, q23);
            IntVector c01bottom = quadsLow.selectFrom(p45, p67), c23bottom = quadsHigh.selectFrom(p45, p67);
            IntVector c45bottom = quadsLow.selectFrom(q45, q67), c67bottom = quadsHigh.selectFrom(q45, q67);
            // Whole columns.
            int out = to + column * destStride + block * 8;
            halvesLow.selectFrom(c01top, c01bottom).reinterpretAsFloats().intoArray(dest, out);
            halvesHigh.selectFrom(c01top, c01bottom).reinterpretAsFloats().intoArray(dest, out + destStride);
            halvesLow.selectFrom(c23top, c23bottom).reinterpretAsFloats().intoArray(dest, out + 2 * destStride);
            halvesHigh.selectFrom(c23top, c23bottom).reinterpretAsFloats().intoArray(dest, out + 3 * destStride);
            halvesLow.selectFrom(c45top, c45bottom).reinterpretAsFloats().intoArray(dest, out + 4 * destStride);
            halvesHigh.selectFrom(c45top, c45bottom).reinterpretAsFloats().intoArray(dest, out + 5 * destStride);
            halvesLow.selectFrom(c67top, c67bottom).reinterpretAsFloats().intoArray(dest, out + 6 * destStride);
            halvesHigh.selectFrom(c67top, c67bottom).reinterpretAsFloats().intoArray(dest, out + 7 * destStride);
            step += 8;
            if (step == span) {
                step = 0;
                if (++block == rowBlocks) {
                    block = 0;
                    c += span;
                }
            }
        }
        if (span == 8 || width - columns < 8) return columns;
        return columns + transposeRows(src, from + columns, ld, rowBlocks, 8, width - columns, dest,
                to + columns * destStride, destStride);
    }

    private static IntVector selector(int... lanes) {
        return IntVector.fromArray(EIGHT_INTS, lanes, 0);
    }
}
