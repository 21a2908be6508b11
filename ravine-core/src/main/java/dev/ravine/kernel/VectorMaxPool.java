package dev.ravine.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API body of {@link MaxPool2dKernel}'s 2x2 / stride 2 window, a vector of windows at a time; loaded only
 * when the Vector API is in use. A plane's rows (28 or 14 wide in the CNN) are shorter than two 512-bit vectors, so
 * the windows are not taken row by row but in output order across rows: each lane gathers its window's four
 * elements through a table of window corners. The winner is chosen by the same comparisons as the scalar 2x2 loop
 * (strictly greater replaces, so ties go to the first element in scan order) and its value is read from the winner,
 * so the bits, signed zeros included, are the scalar loop's.
 */
final class VectorMaxPool {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    /** Integer lanes of the float lanes' count, for the winners' indices. */
    private static final VectorSpecies<Integer> I = F.withLanes(int.class).check(int.class);

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
}
