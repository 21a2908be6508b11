package dev.ravine.tensor;

import java.util.Arrays;

/** Static arithmetic on shapes (int[] of sizes, row-major). Shapes are never mutated after creation. */
public final class Shape {
    private Shape() {}

    public static int numel(int[] shape) {
        long n = 1;
        for (int s : shape) {
            if (s < 0) throw new TensorShapeException("negative size in shape " + Arrays.toString(shape));
            n *= s;
        }
        if (n > Integer.MAX_VALUE) {
            throw new TensorShapeException("shape " + Arrays.toString(shape) + " has " + n + " elements; the limit is 2^31-1");
        }
        return (int) n;
    }

    public static int[] contiguousStrides(int[] shape) {
        int[] strides = new int[shape.length];
        int s = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            strides[i] = s;
            s *= shape[i];
        }
        return strides;
    }

    /** NumPy/PyTorch broadcasting: align right, sizes must be equal or 1. */
    public static int[] broadcast(int[] a, int[] b) {
        int n = Math.max(a.length, b.length);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int da = i < n - a.length ? 1 : a[i - (n - a.length)];
            int db = i < n - b.length ? 1 : b[i - (n - b.length)];
            if (da != db && da != 1 && db != 1) {
                throw new TensorShapeException("shapes " + str(a) + " and " + str(b)
                        + " cannot be broadcast together (axis " + i + ": " + da + " vs " + db + ")");
            }
            out[i] = Math.max(da, db);
        }
        return out;
    }

    /** Strides that read a tensor of {@code shape}/{@code strides} as if it had {@code target} shape (0 on broadcast axes). */
    public static int[] broadcastStrides(int[] shape, int[] strides, int[] target) {
        int[] out = new int[target.length];
        int lead = target.length - shape.length;
        for (int i = 0; i < target.length; i++) {
            if (i < lead) continue;
            int d = shape[i - lead];
            out[i] = d == 1 && target[i] != 1 ? 0 : strides[i - lead];
        }
        return out;
    }

    /** Normalises a possibly negative axis. */
    public static int axis(int axis, int rank) {
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) throw new TensorShapeException("axis " + axis + " is out of range for a tensor of rank " + rank);
        return a;
    }

    public static String str(int[] shape) {
        return Arrays.toString(shape);
    }
}
