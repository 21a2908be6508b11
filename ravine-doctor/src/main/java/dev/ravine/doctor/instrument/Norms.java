package dev.ravine.doctor.instrument;

import dev.ravine.kernel.MomentKernel;

/** The doctor's policy on sums of squares (trouble is never averaged away) and finiteness counts over raw arrays. */
final class Norms {
    private Norms() {}

    /** Sum of squares; NaN when any value is NaN or infinite, so trouble is never averaged away. */
    static double sumOfSquares(float[] a) {
        return policy(MomentKernel.sumOfSquares(a, 0, a.length), a);
    }

    /**
     * A sum of squares of {@code a} as the doctor reports it: NaN when a value is not finite. (Squares of floats summed
     * in double cannot overflow, so an infinite sum of finite values is only kept as the largest double for safety.)
     */
    static double policy(double sumOfSquares, float[] a) {
        if (Double.isFinite(sumOfSquares)) return sumOfSquares;
        return Double.isInfinite(sumOfSquares) && allFinite(a) ? Double.MAX_VALUE : Double.NaN;
    }

    static boolean allFinite(float[] a) {
        for (float v : a) if (!Float.isFinite(v)) return false;
        return true;
    }

    static int countNonFinite(float[] a) {
        int n = 0;
        for (float v : a) if (!Float.isFinite(v)) n++;
        return n;
    }
}
