package dev.ravine.doctor.instrument;

/**
 * The k-th smallest of the first n values of an array, in Double.compare's order (as Arrays.sort orders doubles:
 * -0.0 before 0.0, NaN last), found by quickselect in linear expected time and reordering those values. A reading
 * needs three quantiles of a few thousand samples: sorting them was the larger part of its cost.
 */
final class OrderStatistic {
    private OrderStatistic() {}

    /** The value Arrays.sort(a, 0, n) would put at index k. */
    static double kth(double[] a, int n, int k) {
        if (k < 0 || k >= n) throw new IllegalArgumentException("rank " + k + " of " + n + " values");
        int lo = 0, hi = n - 1;
        while (hi > lo) {
            // median of three as the pivot keeps sorted and reversed inputs linear
            int mid = (lo + hi) >>> 1;
            if (Double.compare(a[mid], a[lo]) < 0) swap(a, mid, lo);
            if (Double.compare(a[hi], a[lo]) < 0) swap(a, hi, lo);
            if (Double.compare(a[hi], a[mid]) < 0) swap(a, hi, mid);
            double pivot = a[mid];
            int i = lo, j = hi;
            while (i <= j) {
                while (Double.compare(a[i], pivot) < 0) i++;
                while (Double.compare(a[j], pivot) > 0) j--;
                if (i <= j) swap(a, i++, j--);
            }
            // [lo, j] <= pivot <= [i, hi]; between them, values equal to the pivot
            if (k <= j) hi = j;
            else if (k >= i) lo = i;
            else return a[k];
        }
        return a[k];
    }

    /** The smallest of the first n values, in the same order (NaN only when all are NaN). */
    static double min(double[] a, int n) {
        double m = a[0];
        for (int i = 1; i < n; i++) if (Double.compare(a[i], m) < 0) m = a[i];
        return m;
    }

    private static void swap(double[] a, int i, int j) {
        double t = a[i];
        a[i] = a[j];
        a[j] = t;
    }
}
