package dev.ravine.tensor;

import java.util.Arrays;

/** Sums, means and maxima along axes, and the reduction of a broadcast gradient back to its operand's shape. */
final class Reductions {
    private Reductions() {}

    static Tensor sum(Tensor x, int[] axes, boolean keepDim) {
        boolean[] reduced = reducedAxes(axes, x.dim());
        int[] keptShape = keptShape(x.shape, reduced);
        float[] out = sumInto(x, reduced, keptShape);
        Tensor result = Tensor.of(out, keepDim ? keptShape : dropReduced(x.shape, reduced));
        int[] inShape = x.shape;
        result.recordOp("sum", new Tensor[] {x}, g -> new Tensor[] {g.reshape(keptShape).expand(inShape)});
        return result;
    }

    static Tensor mean(Tensor x, int[] axes, boolean keepDim) {
        boolean[] reduced = reducedAxes(axes, x.dim());
        long count = 1;
        for (int i = 0; i < reduced.length; i++) if (reduced[i]) count *= x.shape[i];
        return sum(x, axes, keepDim).div((float) count);
    }

    /** Reduces {@code g} (a broadcast result) to {@code target}; the inverse of expand. */
    static Tensor sumTo(Tensor g, int[] target) {
        if (Arrays.equals(g.shape, target)) return g;
        int lead = g.dim() - target.length;
        if (lead < 0) throw new TensorShapeException("cannot reduce " + Shape.str(g.shape) + " to the larger shape " + Shape.str(target));
        boolean[] reduced = new boolean[g.dim()];
        for (int i = 0; i < g.dim(); i++) {
            reduced[i] = i < lead || (target[i - lead] == 1 && g.shape[i] != 1);
        }
        int[] keptShape = keptShape(g.shape, reduced);
        float[] out = sumInto(g, reduced, keptShape);
        Tensor result = Tensor.of(out, target.clone());
        int[] inShape = g.shape;
        result.recordOp("sumTo", new Tensor[] {g}, gg -> new Tensor[] {gg.reshape(keptShape).expand(inShape)});
        return result;
    }

    static Tensor max(Tensor x, int axis, boolean keepDim) {
        int ax = Shape.axis(axis, x.dim());
        int[] arg = argmaxFlat(x, ax);
        int[] outShape = keepDim ? keptShape(x.shape, single(ax, x.dim())) : dropReduced(x.shape, single(ax, x.dim()));
        // Routing through gather gives the backward (scatter to the arg-max) and all higher orders for free.
        return x.contiguous().apply(new GatherMap(x.shape, arg, outShape));
    }

    static int[] argmax(Tensor x, int axis) {
        int ax = Shape.axis(axis, x.dim());
        int[] flat = argmaxFlat(x, ax);
        int stride = 1;
        for (int i = ax + 1; i < x.dim(); i++) stride *= x.shape[i];
        int[] idx = new int[flat.length];
        for (int i = 0; i < flat.length; i++) idx[i] = (flat[i] / stride) % x.shape[ax];
        return idx;
    }

    static Tensor logSumExp(Tensor x, int axis, boolean keepDim) {
        int ax = Shape.axis(axis, x.dim());
        Tensor m = x.detach().max(ax, true);
        // An all -inf row would give -inf - -inf = NaN; shift by 0 there instead, as torch.logsumexp does.
        float[] mv = m.values().clone();
        for (int i = 0; i < mv.length; i++) if (Float.isInfinite(mv[i])) mv[i] = 0f;
        Tensor shift = Tensor.of(mv, m.shape);
        Tensor lse = x.sub(shift).exp().sum(ax, true).log().add(shift);
        return keepDim ? lse : lse.reshape(dropReduced(lse.shape, single(ax, x.dim())));
    }

    // ------------------------------------------------------------------ kernels

    /** Flat (row-major, dense) index of the first maximum along {@code ax}; NaN counts as the maximum. */
    private static int[] argmaxFlat(Tensor x, int ax) {
        float[] src = x.values();
        int outer = 1, inner = 1, n = x.shape[ax];
        for (int i = 0; i < ax; i++) outer *= x.shape[i];
        for (int i = ax + 1; i < x.dim(); i++) inner *= x.shape[i];
        if (n == 0) throw new TensorShapeException("max over an empty axis " + ax + " of shape " + Shape.str(x.shape));
        int[] out = new int[outer * inner];
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int base = o * n * inner + i;
                int best = base;
                float bestValue = src[base];
                for (int k = 1; k < n && bestValue == bestValue; k++) {
                    int p = base + k * inner;
                    float v = src[p];
                    if (v > bestValue || v != v) {
                        best = p;
                        bestValue = v;
                    }
                }
                out[o * inner + i] = best;
            }
        }
        return out;
    }

    /** Sums the dense values of x over the reduced axes into an array laid out as {@code keptShape}. */
    private static float[] sumInto(Tensor x, boolean[] reduced, int[] keptShape) {
        float[] src = x.values();
        int rank = x.dim();
        float[] out = new float[Shape.numel(keptShape)];
        if (src.length == 0) return out;
        // Collapse to the common cases: reduce everything, reduce the trailing block, reduce the leading block.
        int firstKept = -1, lastKept = -1;
        for (int i = 0; i < rank; i++) if (!reduced[i]) { if (firstKept < 0) firstKept = i; lastKept = i; }
        if (firstKept < 0) {
            out[0] = (float) sumRange(src, 0, src.length);
            return out;
        }
        boolean keptIsOneBlock = true;
        for (int i = firstKept; i <= lastKept; i++) if (reduced[i]) keptIsOneBlock = false;
        if (keptIsOneBlock) {
            // View as [outer, kept, inner] and sum over outer and inner: covers bias gradients of every layout.
            int outer = 1, inner = 1;
            for (int i = 0; i < firstKept; i++) outer *= x.shape[i];
            for (int i = lastKept + 1; i < rank; i++) inner *= x.shape[i];
            sumOuterInner(src, outer, out.length, inner, out);
            return out;
        }
        int[] outStrides = Shape.contiguousStrides(keptShape);
        int[] counter = new int[rank];
        for (int p = 0; p < src.length; p++) {
            int o = 0;
            for (int d = 0; d < rank; d++) if (!reduced[d]) o += counter[d] * outStrides[d];
            out[o] += src[p];
            for (int d = rank - 1; d >= 0; d--) {
                if (++counter[d] < x.shape[d]) break;
                counter[d] = 0;
            }
        }
        return out;
    }

    private static void sumOuterInner(float[] src, int outer, int kept, int inner, float[] out) {
        if (inner == 1) {
            // Row-wise accumulation: each output column sums its values top to bottom.
            for (int o = 0; o < outer; o++) {
                int base = o * kept;
                for (int k = 0; k < kept; k++) out[k] += src[base + k];
            }
            return;
        }
        double[] acc = new double[kept];
        for (int o = 0; o < outer; o++) {
            for (int k = 0; k < kept; k++) acc[k] += sumRange(src, (o * kept + k) * inner, inner);
        }
        for (int k = 0; k < kept; k++) out[k] = (float) acc[k];
    }

    /** Sum in double, so long reductions (a loss over a large batch) do not lose float precision. */
    private static double sumRange(float[] a, int from, int n) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            s0 += a[from + i];
            s1 += a[from + i + 1];
            s2 += a[from + i + 2];
            s3 += a[from + i + 3];
        }
        for (; i < n; i++) s0 += a[from + i];
        return (s0 + s1) + (s2 + s3);
    }

    private static boolean[] reducedAxes(int[] axes, int rank) {
        boolean[] r = new boolean[rank];
        for (int a : axes) {
            int ax = Shape.axis(a, rank);
            if (r[ax]) throw new TensorShapeException("axis " + a + " given twice");
            r[ax] = true;
        }
        return r;
    }

    private static boolean[] single(int ax, int rank) {
        boolean[] r = new boolean[rank];
        r[ax] = true;
        return r;
    }

    private static int[] keptShape(int[] shape, boolean[] reduced) {
        int[] k = shape.clone();
        for (int i = 0; i < k.length; i++) if (reduced[i]) k[i] = 1;
        return k;
    }

    private static int[] dropReduced(int[] shape, boolean[] reduced) {
        int n = 0;
        for (boolean r : reduced) if (!r) n++;
        int[] out = new int[n];
        int j = 0;
        for (int i = 0; i < shape.length; i++) if (!reduced[i]) out[j++] = shape[i];
        return out;
    }
}
