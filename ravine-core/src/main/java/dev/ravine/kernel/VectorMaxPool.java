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
 * so the bits, signed zeros included, are the scalar loop's. Planes more than half a vector of windows wide (28 and
 * 14 wide at 256 bits) are taken row by row instead ({@link #poolRow}): two plain loads per input row and a deinterleave of
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
        if (a.add(b).add(c).add(d).test(VectorOperators.IS_NAN).anyTrue()) return false;
        VectorMask<Float> right1 = b.compare(VectorOperators.GT, a), right2 = d.compare(VectorOperators.GT, c);
        FloatVector top = a.blend(b, right1), bottom = c.blend(d, right2);
        VectorMask<Float> down = bottom.compare(VectorOperators.GT, top);
        FloatVector best = top.blend(bottom, down);
        VectorMask<Float> valid = F.indexInRange(from, windows);
        best.intoArray(out, outAt + from, valid);
        if (indices != null) {
            IntVector at = corner.add(planeIndex);
            IntVector topIndex = at.add(1, right1.cast(I));
            IntVector bottomIndex = at.add(w).add(1, right2.cast(I));
            topIndex.blend(bottomIndex, down.cast(I)).intoArray(indices, indicesAt + from, valid.cast(I));
        }
        return true;
    }

    /**
     * Pools the {@code count} windows (more than half of lanes(), at most lanes()) of output row oy from column ox
     * of one plane: values to out at outAt, indices (the plane's {@code planeIndex} plus the winner's offset) to
     * indices at indicesAt when indices is not null. Each input row's 2 count elements are two loads, the second
     * masked to what the row holds; the windows' left elements are their even lanes and the right ones their odd
     * lanes, so every lane makes the same comparisons as {@link #pool} and the bits are the same. Only the first
     * {@code stored} lanes are written (count, or lanes() where the lanes past count land on windows that are
     * written again later: masked stores are slow on AVX2).
     * The comparisons are written out here as in pool rather than shared: a shared method that C2 compiles on its
     * own first is then "already compiled into a big method", not inlined, and its vectors are boxed (3-5x slower).
     *
     * @return false, writing nothing, where {@link #pool} would: a NaN, or sums that overflow to NaN
     */
    static boolean poolRow(float[] x, int planeStart, int w, int oy, int ox, int count, int stored, int planeIndex,
                           float[] out, int outAt, int[] indices, int indicesAt) {
        int corner = 2 * oy * w + 2 * ox, topRow = planeStart + corner, bottomRow = topRow + w, length = F.length();
        VectorMask<Float> second = F.indexInRange(length, 2 * count);
        FloatVector top0 = FloatVector.fromArray(F, x, topRow), top1 = FloatVector.fromArray(F, x, topRow + length, second);
        FloatVector bottom0 = FloatVector.fromArray(F, x, bottomRow);
        FloatVector bottom1 = FloatVector.fromArray(F, x, bottomRow + length, second);
        FloatVector a = even(top0, top1), b = odd(top0, top1), c = even(bottom0, bottom1), d = odd(bottom0, bottom1);
        if (a.add(b).add(c).add(d).test(VectorOperators.IS_NAN).anyTrue()) return false;
        VectorMask<Float> right1 = b.compare(VectorOperators.GT, a), right2 = d.compare(VectorOperators.GT, c);
        FloatVector top = a.blend(b, right1), bottom = c.blend(d, right2);
        VectorMask<Float> down = bottom.compare(VectorOperators.GT, top);
        FloatVector best = top.blend(bottom, down);
        VectorMask<Float> valid = F.indexInRange(0, stored);
        best.intoArray(out, outAt, valid);
        if (indices != null) {
            IntVector at = TWICE_IOTA.add(planeIndex + corner);
            IntVector topIndex = at.add(1, right1.cast(I));
            IntVector bottomIndex = at.add(w).add(1, right2.cast(I));
            topIndex.blend(bottomIndex, down.cast(I)).intoArray(indices, indicesAt, valid.cast(I));
        }
        return true;
    }

    /** The even lanes of first then second, in order: the left elements of the windows they hold. */
    private static FloatVector even(FloatVector first, FloatVector second) {
        return first.rearrange(EVEN).blend(second.rearrange(EVEN), UPPER);
    }

    /** The odd lanes of first then second, in order: the right elements. */
    private static FloatVector odd(FloatVector first, FloatVector second) {
        return first.rearrange(ODD).blend(second.rearrange(ODD), UPPER);
    }
}
