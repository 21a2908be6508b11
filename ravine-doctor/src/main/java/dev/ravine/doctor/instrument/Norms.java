package dev.ravine.doctor.instrument;

/** Sums of squares and finiteness over raw arrays, accumulated in double. */
final class Norms {
    private Norms() {}

    /** Sum of squares; NaN when any value is NaN or infinite, so trouble is never averaged away. */
    static double sumOfSquares(float[] a) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        for (; i + 3 < a.length; i += 4) {
            s0 += (double) a[i] * a[i];
            s1 += (double) a[i + 1] * a[i + 1];
            s2 += (double) a[i + 2] * a[i + 2];
            s3 += (double) a[i + 3] * a[i + 3];
        }
        for (; i < a.length; i++) s0 += (double) a[i] * a[i];
        double s = (s0 + s1) + (s2 + s3);
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
