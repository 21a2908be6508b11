package dev.ravine.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API body of {@link MaxPool2dKernel}'s 2x2 / stride 2 window, a vector of windows at a time; loaded only
 * when the Vector API is in use. A plane's rows (28 or 14 wide in the CNN) are shorter than two 512-bit vectors, so
 * the windows are not taken row by row but in output order across rows: each lane gathers its window's four
 * elements through a table of window corners. The winner is chosen by the same comparisons as the scalar 2x2 loop
 * (strictly greater replaces, so ties go to the first element in scan order) and its value is read from the winner,
 * so the bits, signed zeros included, are the scalar loop's. Planes at least a vector of windows wide (28 wide at
 * 256 bits) are taken row by row instead ({@link #poolRow}): two plain loads per input row and a deinterleave of
 * even and odd lanes replace the four gathers, which cost several times a load on AVX2 (Zen 3's vgatherdps).
 */
final class VectorMaxPool {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    /** Integer lanes of the float lanes' count, for the winners' indices. */
    private static final VectorSpecies<Integer> I = F.withLanes(int.class).check(int.class);

    /** Lanes 0, 2, 4, ... of a vector into both halves: with {@link #UPPER}, the even lanes of two vectors. */
    private static final VectorShuffle<Float> EVEN = VectorShuffle.fromOp(F, i -> 2 * i % F.length());
    /** Lanes 1, 3, 5, ... of a vector into both halves. */
    private static final VectorShuffle<Float> ODD = VectorShuffle.fromOp(F, i -> (2 * i + 1) % F.length());
    /** The upper half of the lanes: where the second vector's even or odd lanes go. */
    private static final VectorMask<Float> UPPER = VectorMask.fromLong(F, (1L << F.length()) - (1L << F.length() / 2));
    /** 0, 2, 4, ...: window lane l's corner 2 l columns right of the first window's. */
    private static final IntVector TWICE_IOTA = IntVector.zero(I).addIndex(2);

    private VectorMaxPool() {}

    /** Windows per vector: the granule of {@link #pool}. */
    static int lanes() {
        return F.length();
    }

    /**
     * corners[o] = the offset of window o's top-left element inside its plane (2 oy w + 2 ox), padded with zeros (a
     * real window) to whole vectors, so that a last partial vector gathers from real elements.
     */
    static int[] corners(int outH, int outW, int w) {
        int windows = outH * outW;
        int[] corners = new int[Math.ceilDiv(windows, F.length()) * F.length()];
        for (int oy = 0, o = 0; oy < outH; oy++) {
            for (int ox = 0; ox < outW; ox++, o++) corners[o] = 2 * oy * w + 2 * ox;
        }
        return corners;
    }

    /**
     * Pools windows [from, from + lanes) of one plane, only those below {@code windows}: values to out at outAt +
     * window, indices (the plane's {@code planeIndex} plus the winner's offset in its plane) to indices at
     * indicesAt + window when indices is not null. The plane's first element is x[planeStart], w its width.
     *
     * @return false, writing nothing, if a gathered element is NaN or the window sums overflow to NaN (+inf and
     *         -inf): the caller redoes those windows by the general rule, which knows NaN's
     */
    static boolean pool(float[] x, int planeStart, int w, int[] corners, int from, int windows, int planeIndex,
                        float[] out, int outAt, int[] indices, int indicesAt) {
        IntVector corner = IntVector.fromArray(I, corners, from);
        FloatVector a = FloatVector.fromArray(F, x, planeStart, corners, from);
        FloatVector b = FloatVector.fromArray(F, x, planeStart + 1, corners, from);
        FloatVector c = FloatVector.fromArray(F, x, planeStart + w, corners, from);
        FloatVector d = FloatVector.fromArray(F, x, planeStart + w + 1, corners, from);
        return choose(a, b, c, d, corner.add(planeIndex), w, F.indexInRange(from, windows), out, outAt + from,
                indices, indicesAt + from);
    }

    /**
     * Pools the lanes() windows of output row oy from column ox (ox + lanes() at most the row's window count) of
     * one plane: values to out at outAt, indices (the plane's {@code planeIndex} plus the winner's offset) to
     * indices at indicesAt when indices is not null. Each input row's 2 lanes() elements are two plain loads; the
     * windows' left elements are their even lanes and the right ones their odd lanes, so every lane compares the
     * same four values as {@link #pool} and the bits are the same.
     *
     * @return false, writing nothing, where {@link #pool} would: a NaN, or sums that overflow to NaN
     */
    static boolean poolRow(float[] x, int planeStart, int w, int oy, int ox, int planeIndex, float[] out, int outAt,
                           int[] indices, int indicesAt) {
        int corner = 2 * oy * w + 2 * ox, top = planeStart + corner, bottom = top + w;
        FloatVector topLeft = FloatVector.fromArray(F, x, top), topRight = FloatVector.fromArray(F, x, top + F.length());
        FloatVector bottomLeft = FloatVector.fromArray(F, x, bottom);
        FloatVector bottomRight = FloatVector.fromArray(F, x, bottom + F.length());
        return choose(even(topLeft, topRight), odd(topLeft, topRight), even(bottomLeft, bottomRight),
                odd(bottomLeft, bottomRight), TWICE_IOTA.add(planeIndex + corner), w, F.maskAll(true), out, outAt,
                indices, indicesAt);
    }

    /** The even lanes of first then second, in order: the left elements of the windows they hold. */
    private static FloatVector even(FloatVector first, FloatVector second) {
        return first.rearrange(EVEN).blend(second.rearrange(EVEN), UPPER);
    }

    /** The odd lanes of first then second, in order: the right elements. */
    private static FloatVector odd(FloatVector first, FloatVector second) {
        return first.rearrange(ODD).blend(second.rearrange(ODD), UPPER);
    }

    /**
     * The scalar loop's choice in every lane of windows a b / c d whose top-left elements are at {@code at}: b
     * replaces a and d replaces c only when strictly greater, then the bottom's winner replaces the top's only
     * when strictly greater. Writes the valid lanes and returns true, or writes nothing and returns false if any
     * lane's sum is NaN.
     */
    private static boolean choose(FloatVector a, FloatVector b, FloatVector c, FloatVector d, IntVector at, int w,
                                  VectorMask<Float> valid, float[] out, int outAt, int[] indices, int indicesAt) {
        if (a.add(b).add(c).add(d).test(VectorOperators.IS_NAN).anyTrue()) return false;
        VectorMask<Float> right1 = b.compare(VectorOperators.GT, a), right2 = d.compare(VectorOperators.GT, c);
        FloatVector top = a.blend(b, right1), bottom = c.blend(d, right2);
        VectorMask<Float> down = bottom.compare(VectorOperators.GT, top);
        FloatVector best = top.blend(bottom, down);
        best.intoArray(out, outAt, valid);
        if (indices != null) {
            IntVector topIndex = at.add(1, right1.cast(I));
            IntVector bottomIndex = at.add(w).add(1, right2.cast(I));
            topIndex.blend(bottomIndex, down.cast(I)).intoArray(indices, indicesAt, valid.cast(I));
        }
        return true;
    }
}
