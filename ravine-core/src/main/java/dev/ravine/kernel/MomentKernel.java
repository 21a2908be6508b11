package dev.ravine.kernel;

/**
 * The doctor's readings of an array in one pass: the sum of squares, or the sum and the sum of squares, accumulated in
 * double (a float's square is exact in double, and a billion of them cannot overflow it, so the sum of squares is
 * finite exactly when every value is); optionally, for a ReLU layer's output, which units were positive for some
 * sample. The Vector API body reads eight or four floats a step as doubles; the scalar fallback (same choice as
 * {@link Gemm}) reads one. The two add in different orders, so their last bits may differ.
 */
public final class MomentKernel {
    private static final boolean VECTOR = Gemm.implementation().startsWith("vector");

    private MomentKernel() {}

    /** sum of a[i]^2 over [from, to), in double; NaN or infinity when a value is not finite. */
    public static double sumOfSquares(float[] a, int from, int to) {
        return VECTOR ? VectorMoments.sumOfSquares(a, from, to) : scalarSumOfSquares(a, from, to);
    }

    /**
     * out[0] = sum of a[i], out[1] = sum of a[i]^2 over [from, to), in double. When {@code active} is not null the range
     * is read as rows of {@code active.length} units (one sample a row) and active[u] is set for every unit that is
     * positive in some row (it is never cleared).
     */
    public static void sums(float[] a, int from, int to, boolean[] active, double[] out) {
        if (active != null && active.length > 0 && (to - from) % active.length != 0) {
            throw new IllegalArgumentException("a range of " + (to - from) + " values is not whole rows of " + active.length + " units");
        }
        boolean[] units = active == null || active.length == 0 ? null : active;
        if (VECTOR) VectorMoments.sums(a, from, to, units, out);
        else scalarSums(a, from, to, units, out);
    }

    static double scalarSumOfSquares(float[] a, int from, int to) {
        // four partial sums break the dependency of one long chain of additions
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = from;
        for (; i + 3 < to; i += 4) {
            s0 += (double) a[i] * a[i];
            s1 += (double) a[i + 1] * a[i + 1];
            s2 += (double) a[i + 2] * a[i + 2];
            s3 += (double) a[i + 3] * a[i + 3];
        }
        for (; i < to; i++) s0 += (double) a[i] * a[i];
        return (s0 + s1) + (s2 + s3);
    }

    static void scalarSums(float[] a, int from, int to, boolean[] active, double[] out) {
        int units = active == null ? to - from : active.length; // one row when no units are tracked
        double sum = 0, sumSq = 0;
        for (int row = from; row < to; row += Math.max(1, units)) {
            for (int i = row, end = Math.min(to, row + units); i < end; i++) {
                float x = a[i];
                sum += x;
                sumSq += (double) x * x;
                if (active != null && x > 0) active[i - row] = true;
            }
        }
        out[0] = sum;
        out[1] = sumSq;
    }
}
