package dev.ravine.doctor.instrument;

import dev.ravine.linalg.DenseVectors;

/** The doctor's policy on sums of squares (trouble is never averaged away) and finiteness counts over raw arrays. */
final class Norms {
    private Norms() {}

    /** Sum of squares; NaN when any value is NaN or infinite, so trouble is never averaged away. */
    static double sumOfSquares(float[] a) {
        double s = DenseVectors.sumOfSquares(a);
        return Double.isInfinite(s) && allFinite(a) ? Double.MAX_VALUE : (Double.isFinite(s) ? s : Double.NaN);
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
