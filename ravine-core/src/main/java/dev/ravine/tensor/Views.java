package dev.ravine.tensor;

import java.util.Arrays;

/** Reshape, permute, slice and expand as views over shared storage, plus the copies that make views dense. */
final class Views {
    private Views() {}

    static Tensor reshape(Tensor x, int[] requested) {
        int[] newShape = inferShape(requested, x.numel(), x.shape);
        if (Arrays.equals(newShape, x.shape)) return x;
        Tensor base = x.isContiguous() ? x : copy(x);
        Tensor view = new Tensor(base.data, base.offset, newShape, Shape.contiguousStrides(newShape));
        int[] oldShape = x.shape;
        view.recordOp("reshape", new Tensor[] {x}, g -> new Tensor[] {g.reshape(oldShape)});
        return view;
    }

    static Tensor flatten(Tensor x, int startAxis) {
        int start = Shape.axis(startAxis, x.dim());
        int[] shape = Arrays.copyOf(x.shape, start + 1);
        int tail = 1;
        for (int i = start; i < x.dim(); i++) tail *= x.shape[i];
        shape[start] = tail;
        return reshape(x, shape);
    }

    static Tensor permute(Tensor x, int[] order) {
        int rank = x.dim();
        if (order.length != rank) throw new TensorShapeException("permute order " + Arrays.toString(order) + " has " + order.length + " axes; tensor has " + rank);
        int[] shape = new int[rank], strides = new int[rank], inverse = new int[rank];
        boolean[] seen = new boolean[rank];
        for (int i = 0; i < rank; i++) {
            int a = Shape.axis(order[i], rank);
            if (seen[a]) throw new TensorShapeException("permute order " + Arrays.toString(order) + " repeats axis " + a);
            seen[a] = true;
            shape[i] = x.shape[a];
            strides[i] = x.strides[a];
            inverse[a] = i;
        }
        Tensor view = new Tensor(x.data, x.offset, shape, strides);
        view.recordOp("permute", new Tensor[] {x}, g -> new Tensor[] {g.permute(inverse)});
        return view;
    }

    static Tensor transpose(Tensor x, int a, int b) {
        int[] order = new int[x.dim()];
        for (int i = 0; i < order.length; i++) order[i] = i;
        int ia = Shape.axis(a, x.dim()), ib = Shape.axis(b, x.dim());
        order[ia] = ib;
        order[ib] = ia;
        return permute(x, order);
    }

    static Tensor slice(Tensor x, int axis, int start, int end) {
        int ax = Shape.axis(axis, x.dim());
        if (start < 0 || end > x.shape[ax] || start > end) {
            throw new TensorShapeException("slice [" + start + ", " + end + ") is out of range for axis " + ax + " of size " + x.shape[ax]);
        }
        int[] shape = x.shape.clone();
        shape[ax] = end - start;
        Tensor view = new Tensor(x.data, x.offset + start * x.strides[ax], shape, x.strides.clone());
        SliceMap map = new SliceMap(x.shape, ax, start, end);
        view.recordOp("slice", new Tensor[] {x}, g -> new Tensor[] {LinearOps.apply(g, map, true)});
        return view;
    }

    static Tensor expand(Tensor x, int[] target) {
        if (Arrays.equals(x.shape, target)) return x;
        if (target.length < x.dim()) throw new TensorShapeException("cannot expand " + Shape.str(x.shape) + " to fewer axes " + Shape.str(target));
        for (int i = 0; i < x.dim(); i++) {
            int d = x.shape[i], t = target[target.length - x.dim() + i];
            if (d != t && d != 1) throw new TensorShapeException("cannot expand " + Shape.str(x.shape) + " to " + Shape.str(target));
        }
        Tensor view = new Tensor(x.data, x.offset, target.clone(), Shape.broadcastStrides(x.shape, x.strides, target));
        int[] original = x.shape;
        view.recordOp("expand", new Tensor[] {x}, g -> new Tensor[] {g.sumTo(original)});
        return view;
    }

    static Tensor copy(Tensor x) {
        Tensor out = Tensor.of(gather(x), x.shape);
        out.recordOp("contiguous", new Tensor[] {x}, g -> new Tensor[] {g});
        return out;
    }

    static Tensor concat(int axis, Tensor[] parts) {
        if (parts.length == 0) throw new TensorShapeException("concat needs at least one tensor");
        int ax = Shape.axis(axis, parts[0].dim());
        int[] shape = parts[0].shape.clone();
        int total = 0;
        for (Tensor p : parts) {
            for (int i = 0; i < shape.length; i++) {
                if (i != ax && (p.dim() != shape.length || p.shape[i] != shape[i])) {
                    throw new TensorShapeException("concat along axis " + ax + ": shapes " + Shape.str(parts[0].shape) + " and " + Shape.str(p.shape) + " differ on axis " + i);
                }
            }
            total += p.shape[ax];
        }
        shape[ax] = total;
        float[] out = new float[Shape.numel(shape)];
        int outer = 1, inner = 1;
        for (int i = 0; i < ax; i++) outer *= shape[i];
        for (int i = ax + 1; i < shape.length; i++) inner *= shape[i];
        int at = 0;
        for (Tensor p : parts) {
            float[] v = p.values();
            int block = p.shape[ax] * inner;
            for (int o = 0; o < outer; o++) System.arraycopy(v, o * block, out, o * total * inner + at * inner, block);
            at += p.shape[ax];
        }
        Tensor result = Tensor.of(out, shape);
        result.recordOp("concat", parts, g -> {
            Tensor[] grads = new Tensor[parts.length];
            int from = 0;
            for (int i = 0; i < parts.length; i++) {
                int to = from + parts[i].shape[ax];
                grads[i] = parts[i].requiresGrad() ? g.slice(ax, from, to).contiguous() : null;
                from = to;
            }
            return grads;
        });
        return result;
    }

    /** The values of any (strided) tensor in row-major order, as a new array. */
    static float[] gather(Tensor x) {
        int n = x.numel();
        float[] out = new float[n];
        if (n == 0) return out;
        int rank = x.dim();
        if (rank == 0) {
            out[0] = x.data[x.offset];
            return out;
        }
        int inner = x.shape[rank - 1], innerStride = x.strides[rank - 1];
        int[] counter = new int[rank];
        int p = x.offset;
        for (int o = 0; o < n; o += inner) {
            if (innerStride == 1) System.arraycopy(x.data, p, out, o, inner);
            else for (int i = 0; i < inner; i++) out[o + i] = x.data[p + i * innerStride];
            for (int d = rank - 2; d >= 0; d--) {
                counter[d]++;
                p += x.strides[d];
                if (counter[d] < x.shape[d]) break;
                p -= x.strides[d] * x.shape[d];
                counter[d] = 0;
            }
        }
        return out;
    }

    private static int[] inferShape(int[] requested, int numel, int[] from) {
        int[] shape = requested.clone();
        int unknown = -1;
        long known = 1;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] == -1) {
                if (unknown >= 0) throw new TensorShapeException("reshape " + Arrays.toString(requested) + ": only one size may be -1");
                unknown = i;
            } else {
                known *= shape[i];
            }
        }
        if (unknown >= 0) {
            if (known == 0 || numel % known != 0) {
                throw new TensorShapeException("cannot reshape " + Shape.str(from) + " (" + numel + " values) to " + Arrays.toString(requested));
            }
            shape[unknown] = (int) (numel / known);
        }
        if (Shape.numel(shape) != numel) {
            throw new TensorShapeException("cannot reshape " + Shape.str(from) + " (" + numel + " values) to " + Arrays.toString(requested));
        }
        return shape;
    }
}
