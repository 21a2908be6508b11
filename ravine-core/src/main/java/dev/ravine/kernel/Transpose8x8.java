package dev.ravine.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Transposes 8 x 8 blocks of floats in vector registers, for the packing steps that turn rows into columns
 * (A stored m x k, B stored n x k). Done element by element those steps cost about twice as much, and they are a
 * visible share of the MLP-sized products.
 */
final class Transpose8x8 {
    private static final VectorSpecies<Float> EIGHT = FloatVector.SPECIES_256;

    /**
     * Only where 256-bit vectors are native: elsewhere (128-bit NEON) the Vector API would emulate them, which is
     * far slower than the scalar loop.
     */
    static final boolean AVAILABLE = FloatVector.SPECIES_PREFERRED.vectorBitSize() >= 256;

    // Lane selectors for selectFrom(x, y): values 0-7 pick lanes of x, 8-15 lanes of y.
    /** Interleaves single lanes of two rows: (x0 y0 x1 y1 x2 y2 x3 y3), then the upper halves. */
    private static final FloatVector PAIRS_LOW = selector(0, 8, 1, 9, 2, 10, 3, 11);
    private static final FloatVector PAIRS_HIGH = selector(4, 12, 5, 13, 6, 14, 7, 15);
    /** Interleaves pairs of lanes: (x0 x1 y0 y1 x2 x3 y2 y3), then the upper halves. */
    private static final FloatVector QUADS_LOW = selector(0, 1, 8, 9, 2, 3, 10, 11);
    private static final FloatVector QUADS_HIGH = selector(4, 5, 12, 13, 6, 7, 14, 15);
    /** Joins the lower (resp. upper) four lanes of x and y. */
    private static final FloatVector HALVES_LOW = selector(0, 1, 2, 3, 8, 9, 10, 11);
    private static final FloatVector HALVES_HIGH = selector(4, 5, 6, 7, 12, 13, 14, 15);

    private Transpose8x8() {}

    /**
     * Writes column c of the 8 x 8 block at src[from + r * ld + c] as row c of the block at
     * dest[to + c * destStride + r].
     */
    static void transpose(float[] src, int from, int ld, float[] dest, int to, int destStride) {
        FloatVector r0 = FloatVector.fromArray(EIGHT, src, from);
        FloatVector r1 = FloatVector.fromArray(EIGHT, src, from + ld);
        FloatVector r2 = FloatVector.fromArray(EIGHT, src, from + 2 * ld);
        FloatVector r3 = FloatVector.fromArray(EIGHT, src, from + 3 * ld);
        FloatVector r4 = FloatVector.fromArray(EIGHT, src, from + 4 * ld);
        FloatVector r5 = FloatVector.fromArray(EIGHT, src, from + 5 * ld);
        FloatVector r6 = FloatVector.fromArray(EIGHT, src, from + 6 * ld);
        FloatVector r7 = FloatVector.fromArray(EIGHT, src, from + 7 * ld);
        // Rows r, r+1 -> columns 0-3 (low) and 4-7 (high) of those two rows, lane-interleaved.
        FloatVector p01 = PAIRS_LOW.selectFrom(r0, r1), q01 = PAIRS_HIGH.selectFrom(r0, r1);
        FloatVector p23 = PAIRS_LOW.selectFrom(r2, r3), q23 = PAIRS_HIGH.selectFrom(r2, r3);
        FloatVector p45 = PAIRS_LOW.selectFrom(r4, r5), q45 = PAIRS_HIGH.selectFrom(r4, r5);
        FloatVector p67 = PAIRS_LOW.selectFrom(r6, r7), q67 = PAIRS_HIGH.selectFrom(r6, r7);
        // Rows 0-3 (resp. 4-7) of two adjacent columns each.
        FloatVector c01top = QUADS_LOW.selectFrom(p01, p23), c23top = QUADS_HIGH.selectFrom(p01, p23);
        FloatVector c45top = QUADS_LOW.selectFrom(q01, q23), c67top = QUADS_HIGH.selectFrom(q01, q23);
        FloatVector c01bottom = QUADS_LOW.selectFrom(p45, p67), c23bottom = QUADS_HIGH.selectFrom(p45, p67);
        FloatVector c45bottom = QUADS_LOW.selectFrom(q45, q67), c67bottom = QUADS_HIGH.selectFrom(q45, q67);
        // Whole columns.
        HALVES_LOW.selectFrom(c01top, c01bottom).intoArray(dest, to);
        HALVES_HIGH.selectFrom(c01top, c01bottom).intoArray(dest, to + destStride);
        HALVES_LOW.selectFrom(c23top, c23bottom).intoArray(dest, to + 2 * destStride);
        HALVES_HIGH.selectFrom(c23top, c23bottom).intoArray(dest, to + 3 * destStride);
        HALVES_LOW.selectFrom(c45top, c45bottom).intoArray(dest, to + 4 * destStride);
        HALVES_HIGH.selectFrom(c45top, c45bottom).intoArray(dest, to + 5 * destStride);
        HALVES_LOW.selectFrom(c67top, c67bottom).intoArray(dest, to + 6 * destStride);
        HALVES_HIGH.selectFrom(c67top, c67bottom).intoArray(dest, to + 7 * destStride);
    }

    private static FloatVector selector(float... lanes) {
        return FloatVector.fromArray(EIGHT, lanes, 0);
    }
}
