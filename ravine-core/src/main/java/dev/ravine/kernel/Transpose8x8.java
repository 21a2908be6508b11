package dev.ravine.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
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

    // The network: three stages that swap the off-diagonal 1 x 1, 2 x 2 and 4 x 4 blocks of each pair of rows
    // s apart (s = 1, 2, 4). In a stage, row x keeps its lanes outside UPPER_s and takes y's lanes swapped by s
    // (lane j from j ^ s) inside it, and y the mirror, so every op is a one-vector rearrange or a blend with a
    // constant mask: 24 of each per 8 x 8 block. The two-vector selectFrom network before it (24 selects) has no
    // single instruction on AVX2 (vpermt2d is AVX-512), where the Vector API emulates it. On a Zen 4, one thread,
    // thread CPU time, 8 x 512 strips of a 512 x 512 block at ld 512 and 784, old / new classes alternating (load
    // 14-15): 256-bit 13.3-15.7 ns per 8 x 8 block -> 7.6-9.2, 512-bit 8.9-9.3 -> 7.8-9.6 (even).
    private static final VectorShuffle<Integer> SWAP_1 = swap(1);
    private static final VectorShuffle<Integer> SWAP_2 = swap(2);
    private static final VectorShuffle<Integer> SWAP_4 = swap(4);
    private static final VectorMask<Integer> UPPER_1 = upper(1);
    private static final VectorMask<Integer> UPPER_2 = upper(2);
    private static final VectorMask<Integer> UPPER_4 = upper(4);

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
     * with the shuffles and masks in locals, because C2 will not inline a block-sized transpose into its callers and then
     * re-materialises the constants on every call.
     */
    static int transposeRows(float[] src, int from, int ld, int rowBlocks, int width, float[] dest, int to,
                             int destStride) {
        VectorShuffle<Integer> s1 = SWAP_1, s2 = SWAP_2, s4 = SWAP_4;
        VectorMask<Integer> m1 = UPPER_1, m2 = UPPER_2, m4 = UPPER_4;
        int columns = width / 8 * 8;
        // One flat loop over (8 columns, row block) pairs: with a nested loop the AVX2 strips (one row block) of the
        // 400 x 512 B^T tile took 94-98 us against 79-82 before; flat, 66-70 against 67-85 (median 80), load 15-20.
        for (int c = 0, block = 0; c < columns; ) {
            int in = from + block * 8 * ld + c;
            IntVector r0 = FloatVector.fromArray(EIGHT, src, in).reinterpretAsInts();
            IntVector r1 = FloatVector.fromArray(EIGHT, src, in + ld).reinterpretAsInts();
            IntVector r2 = FloatVector.fromArray(EIGHT, src, in + 2 * ld).reinterpretAsInts();
            IntVector r3 = FloatVector.fromArray(EIGHT, src, in + 3 * ld).reinterpretAsInts();
            IntVector r4 = FloatVector.fromArray(EIGHT, src, in + 4 * ld).reinterpretAsInts();
            IntVector r5 = FloatVector.fromArray(EIGHT, src, in + 5 * ld).reinterpretAsInts();
            IntVector r6 = FloatVector.fromArray(EIGHT, src, in + 6 * ld).reinterpretAsInts();
            IntVector r7 = FloatVector.fromArray(EIGHT, src, in + 7 * ld).reinterpretAsInts();
            IntVector t0 = r0.blend(r1.rearrange(s1), m1), t1 = r0.rearrange(s1).blend(r1, m1);
            IntVector t2 = r2.blend(r3.rearrange(s1), m1), t3 = r2.rearrange(s1).blend(r3, m1);
            IntVector t4 = r4.blend(r5.rearrange(s1), m1), t5 = r4.rearrange(s1).blend(r5, m1);
            IntVector t6 = r6.blend(r7.rearrange(s1), m1), t7 = r6.rearrange(s1).blend(r7, m1);
            IntVector u0 = t0.blend(t2.rearrange(s2), m2), u2 = t0.rearrange(s2).blend(t2, m2);
            IntVector u1 = t1.blend(t3.rearrange(s2), m2), u3 = t1.rearrange(s2).blend(t3, m2);
            IntVector u4 = t4.blend(t6.rearrange(s2), m2), u6 = t4.rearrange(s2).blend(t6, m2);
            IntVector u5 = t5.blend(t7.rearrange(s2), m2), u7 = t5.rearrange(s2).blend(t7, m2);
            int out = to + c * destStride + block * 8;
            u0.blend(u4.rearrange(s4), m4).reinterpretAsFloats().intoArray(dest, out);
            u1.blend(u5.rearrange(s4), m4).reinterpretAsFloats().intoArray(dest, out + destStride);
            u2.blend(u6.rearrange(s4), m4).reinterpretAsFloats().intoArray(dest, out + 2 * destStride);
            u3.blend(u7.rearrange(s4), m4).reinterpretAsFloats().intoArray(dest, out + 3 * destStride);
            u0.rearrange(s4).blend(u4, m4).reinterpretAsFloats().intoArray(dest, out + 4 * destStride);
            u1.rearrange(s4).blend(u5, m4).reinterpretAsFloats().intoArray(dest, out + 5 * destStride);
            u2.rearrange(s4).blend(u6, m4).reinterpretAsFloats().intoArray(dest, out + 6 * destStride);
            u3.rearrange(s4).blend(u7, m4).reinterpretAsFloats().intoArray(dest, out + 7 * destStride);
            if (++block == rowBlocks) {
                block = 0;
                c += 8;
            }
        }
        return columns;
    }


    /**
     * {@link #transposeRows(float[], int, int, int, int, float[], int, int)} taking 16 columns of each row block
     * before the next row block: with 16, every 64-byte line of a source row is used up in one visit.
     * With 8 a line is visited twice, and between the visits the other row blocks' rows come through the same L1
     * sets when ld is a power of two (rows 2 KiB apart at depth 512 fall into 2 of the 64 sets of a 32 KiB 8-way
     * L1d), so it is fetched again: on a Zen 4 (32 KiB L1d), one thread, a 512 x 32 B^T sliver at ld 512 took
     * 15.4-16.2 ns per 8 x 8 block by 8 columns against 11.0-11.6 by 16 (9.4 at ld 784, where the sets differ). Columns
     * past the last whole span are done 8 at a time.
     */
    static int transposeRowsBy16(float[] src, int from, int ld, int rowBlocks, int width, float[] dest, int to,
                                 int destStride) {
        VectorShuffle<Integer> s1 = SWAP_1, s2 = SWAP_2, s4 = SWAP_4;
        VectorMask<Integer> m1 = UPPER_1, m2 = UPPER_2, m4 = UPPER_4;
        int columns = width / 16 * 16;
        // Its own copy of the network: with the span a parameter of one loop, the extra counter slowed the 8-column
        // strips (256-bit, 13 -> 19 ns a block), and a helper taking the vectors risks a call C2 does not inline, where
        // they are boxed (see MicroKernel#stretch).
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
            IntVector t0 = r0.blend(r1.rearrange(s1), m1), t1 = r0.rearrange(s1).blend(r1, m1);
            IntVector t2 = r2.blend(r3.rearrange(s1), m1), t3 = r2.rearrange(s1).blend(r3, m1);
            IntVector t4 = r4.blend(r5.rearrange(s1), m1), t5 = r4.rearrange(s1).blend(r5, m1);
            IntVector t6 = r6.blend(r7.rearrange(s1), m1), t7 = r6.rearrange(s1).blend(r7, m1);
            IntVector u0 = t0.blend(t2.rearrange(s2), m2), u2 = t0.rearrange(s2).blend(t2, m2);
            IntVector u1 = t1.blend(t3.rearrange(s2), m2), u3 = t1.rearrange(s2).blend(t3, m2);
            IntVector u4 = t4.blend(t6.rearrange(s2), m2), u6 = t4.rearrange(s2).blend(t6, m2);
            IntVector u5 = t5.blend(t7.rearrange(s2), m2), u7 = t5.rearrange(s2).blend(t7, m2);
            int out = to + column * destStride + block * 8;
            u0.blend(u4.rearrange(s4), m4).reinterpretAsFloats().intoArray(dest, out);
            u1.blend(u5.rearrange(s4), m4).reinterpretAsFloats().intoArray(dest, out + destStride);
            u2.blend(u6.rearrange(s4), m4).reinterpretAsFloats().intoArray(dest, out + 2 * destStride);
            u3.blend(u7.rearrange(s4), m4).reinterpretAsFloats().intoArray(dest, out + 3 * destStride);
            u0.rearrange(s4).blend(u4, m4).reinterpretAsFloats().intoArray(dest, out + 4 * destStride);
            u1.rearrange(s4).blend(u5, m4).reinterpretAsFloats().intoArray(dest, out + 5 * destStride);
            u2.rearrange(s4).blend(u6, m4).reinterpretAsFloats().intoArray(dest, out + 6 * destStride);
            u3.rearrange(s4).blend(u7, m4).reinterpretAsFloats().intoArray(dest, out + 7 * destStride);
            step += 8;
            if (step == 16) {
                step = 0;
                if (++block == rowBlocks) {
                    block = 0;
                    c += 16;
                }
            }
        }
        if (width - columns < 8) return columns;
        return columns + transposeRows(src, from + columns, ld, rowBlocks, width - columns, dest,
                to + columns * destStride, destStride);
    }

    /** Lane j takes lane j ^ s: swaps neighbouring groups of s lanes. */
    private static VectorShuffle<Integer> swap(int s) {
        int[] lanes = new int[8];
        for (int j = 0; j < 8; j++) lanes[j] = j ^ s;
        return VectorShuffle.fromArray(EIGHT_INTS, lanes, 0);
    }

    /** The upper s lanes of every group of 2s lanes. */
    private static VectorMask<Integer> upper(int s) {
        boolean[] lanes = new boolean[8];
        for (int j = 0; j < 8; j++) lanes[j] = (j & s) != 0;
        return VectorMask.fromArray(EIGHT_INTS, lanes, 0);
    }
}
