package dev.ravine.tensor;

import dev.ravine.kernel.ComputePool;
import dev.ravine.kernel.ReluKernel;
import dev.ravine.kernel.SigmoidAndTanh;

/**
 * Element-wise operations with broadcasting. Each operation's forward and its derivative sit side by side; the
 * derivatives are written in tensor operations so they can be differentiated again.
 */
final class Elementwise {
    /** Arrays longer than this are split across the compute pool; element-wise results do not depend on the split. */
    static final int PARALLEL_CHUNK = 1 << 15;

    private Elementwise() {}

    enum Binary {
        ADD { float apply(float x, float y) { return x + y; } },
        SUB { float apply(float x, float y) { return x - y; } },
        MUL { float apply(float x, float y) { return x * y; } },
        DIV { float apply(float x, float y) { return x / y; } },
        // NaN-propagating like torch.maximum/minimum.
        MAX { float apply(float x, float y) { return x != x || y != y ? Float.NaN : Math.max(x, y); } },
        MIN { float apply(float x, float y) { return x != x || y != y ? Float.NaN : Math.min(x, y); } },
        GT { float apply(float x, float y) { return x > y ? 1f : 0f; } };

        abstract float apply(float x, float y);
    }

    enum Unary {
        NEG { float apply(float x) { return -x; } },
        EXP { float apply(float x) { return (float) Math.exp(x); } },
        LOG { float apply(float x) { return (float) Math.log(x); } },
        SQRT { float apply(float x) { return (float) Math.sqrt(x); } },
        ABS { float apply(float x) { return Math.abs(x); } },
        SIGN { float apply(float x) { return Math.signum(x); } },
        TANH { float apply(float x) { return one(this, x); } },
        SIGMOID { float apply(float x) { return one(this, x); } },
        RELU { float apply(float x) { return Math.max(x, 0f); } },
        SOFTPLUS { float apply(float x) { return (float) (Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs((double) x)))); } },
        NORMAL_CDF { float apply(float x) { return (float) (0.5 * Erf.erfc(-x / Math.sqrt(2))); } };

        abstract float apply(float x);

        /** Sigmoid and tanh of one value through the range kernel, so a value gets the same bits either way. */
        private static float one(Unary op, float x) {
            float[] v = {x};
            if (op == TANH) SigmoidAndTanh.tanh(v, 0, v, 0, 1);
            else SigmoidAndTanh.sigmoid(v, 0, v, 0, 1);
            return v[0];
        }
    }

    // ------------------------------------------------------------------ binary

    static Tensor binary(Binary op, Tensor a, Tensor b) {
        int[] outShape = Shape.broadcast(a.shape, b.shape);
        float[] out = new float[Shape.numel(outShape)];
        run(op, a, b, outShape, out);
        Tensor result = Tensor.of(out, outShape);
        result.recordOp(op.name().toLowerCase(), new Tensor[] {a, b}, g -> binaryBackward(op, a, b, result, g));
        return result;
    }

    static Tensor scalar(Binary op, Tensor a, float c) {
        Tensor s = Tensor.scalar(c);
        return binary(op, a, s);
    }

    /** A 0/1 mask; never part of the graph. */
    static Tensor compare(Binary op, Tensor a, Tensor b) {
        int[] outShape = Shape.broadcast(a.shape, b.shape);
        float[] out = new float[Shape.numel(outShape)];
        run(op, a, b, outShape, out);
        return Tensor.of(out, outShape);
    }

    private static Tensor[] binaryBackward(Binary op, Tensor a, Tensor b, Tensor out, Tensor g) {
        boolean ga = a.requiresGrad(), gb = b.requiresGrad();
        return switch (op) {
            case ADD -> new Tensor[] {ga ? g.sumTo(a.shape) : null, gb ? g.sumTo(b.shape) : null};
            case SUB -> new Tensor[] {ga ? g.sumTo(a.shape) : null, gb ? g.neg().sumTo(b.shape) : null};
            case MUL -> new Tensor[] {ga ? g.mul(b).sumTo(a.shape) : null, gb ? g.mul(a).sumTo(b.shape) : null};
            // d(a/b)/db = -a/b^2 = -out/b
            case DIV -> new Tensor[] {ga ? g.div(b).sumTo(a.shape) : null, gb ? g.mul(out).div(b).neg().sumTo(b.shape) : null};
            case MAX, MIN -> {
                // The winner takes the gradient; ties go to the first operand.
                Tensor firstWins = op == Binary.MAX ? b.gt(a).rsubConstant() : a.gt(b).rsubConstant();
                Tensor secondWins = firstWins.rsubConstant();
                yield new Tensor[] {ga ? g.mul(firstWins).sumTo(a.shape) : null, gb ? g.mul(secondWins).sumTo(b.shape) : null};
            }
            case GT -> new Tensor[] {null, null};
        };
    }

    /** Applies op over the broadcast of a and b into the dense {@code out}. */
    static void run(Binary op, Tensor a, Tensor b, int[] outShape, float[] out) {
        int n = out.length;
        if (n == 0) return;
        if (a.isDense() && b.isDense() && a.data.length == n && b.data.length == n) {
            ComputePool.parallelRange(n, PARALLEL_CHUNK, (from, to) -> contiguous(op, a.data, from, b.data, from, out, from, to - from));
            return;
        }
        if (a.isDense() && a.data.length == n && b.numel() == 1) {
            float c = b.data[b.offset];
            ComputePool.parallelRange(n, PARALLEL_CHUNK, (from, to) -> rowScalar(op, a.data, from, c, out, from, to - from));
            return;
        }
        int rank = outShape.length;
        int[] sa = Shape.broadcastStrides(a.shape, a.strides, outShape);
        int[] sb = Shape.broadcastStrides(b.shape, b.strides, outShape);
        int inner = outShape[rank - 1];
        int ia = sa[rank - 1], ib = sb[rank - 1];
        int[] counter = new int[rank];
        int pa = a.offset, pb = b.offset;
        for (int o = 0; o < n; o += inner) {
            if (ia == 1 && ib == 1) contiguous(op, a.data, pa, b.data, pb, out, o, inner);
            else if (ia == 1 && ib == 0) rowScalar(op, a.data, pa, b.data[pb], out, o, inner);
            else strided(op, a.data, pa, ia, b.data, pb, ib, out, o, inner);
            // advance the outer counter (all axes but the last)
            for (int d = rank - 2; d >= 0; d--) {
                counter[d]++;
                pa += sa[d];
                pb += sb[d];
                if (counter[d] < outShape[d]) break;
                pa -= sa[d] * outShape[d];
                pb -= sb[d] * outShape[d];
                counter[d] = 0;
            }
        }
    }

    // The hot loops are written out per operation so the JIT sees a plain arithmetic loop it can vectorise.
    private static void contiguous(Binary op, float[] a, int pa, float[] b, int pb, float[] out, int po, int n) {
        switch (op) {
            case ADD -> { for (int i = 0; i < n; i++) out[po + i] = a[pa + i] + b[pb + i]; }
            case SUB -> { for (int i = 0; i < n; i++) out[po + i] = a[pa + i] - b[pb + i]; }
            case MUL -> { for (int i = 0; i < n; i++) out[po + i] = a[pa + i] * b[pb + i]; }
            case DIV -> { for (int i = 0; i < n; i++) out[po + i] = a[pa + i] / b[pb + i]; }
            default -> { for (int i = 0; i < n; i++) out[po + i] = op.apply(a[pa + i], b[pb + i]); }
        }
    }

    private static void rowScalar(Binary op, float[] a, int pa, float c, float[] out, int po, int n) {
        switch (op) {
            case ADD -> { for (int i = 0; i < n; i++) out[po + i] = a[pa + i] + c; }
            case SUB -> { for (int i = 0; i < n; i++) out[po + i] = a[pa + i] - c; }
            case MUL -> { for (int i = 0; i < n; i++) out[po + i] = a[pa + i] * c; }
            case DIV -> { for (int i = 0; i < n; i++) out[po + i] = a[pa + i] / c; }
            default -> { for (int i = 0; i < n; i++) out[po + i] = op.apply(a[pa + i], c); }
        }
    }

    private static void strided(Binary op, float[] a, int pa, int ia, float[] b, int pb, int ib, float[] out, int po, int n) {
        for (int i = 0; i < n; i++) out[po + i] = op.apply(a[pa + i * ia], b[pb + i * ib]);
    }

    // ------------------------------------------------------------------ unary

    static Tensor unary(Unary op, Tensor x) {
        float[] out = map(op, x);
        Tensor result = Tensor.of(out, x.shape);
        result.recordOp(op.name().toLowerCase(), new Tensor[] {x}, g -> new Tensor[] {unaryBackward(op, x, result, g)});
        return result;
    }

    static Tensor unaryConstant(Unary op, Tensor x) {
        return Tensor.of(map(op, x), x.shape);
    }

    private static float[] map(Unary op, Tensor x) {
        float[] src = x.values();
        float[] out = new float[src.length];
        ComputePool.parallelRange(src.length, PARALLEL_CHUNK, (from, to) -> mapRange(op, src, out, from, to));
        return out;
    }

    private static void mapRange(Unary op, float[] src, float[] out, int from, int to) {
        switch (op) {
            case NEG -> { for (int i = from; i < to; i++) out[i] = -src[i]; }
            case RELU -> ReluKernel.forward(src, out, from, to);
            case TANH -> SigmoidAndTanh.tanh(src, from, out, from, to - from);
            case SIGMOID -> SigmoidAndTanh.sigmoid(src, from, out, from, to - from);
            default -> { for (int i = from; i < to; i++) out[i] = op.apply(src[i]); }
        }
    }

    private static Tensor unaryBackward(Unary op, Tensor x, Tensor y, Tensor g) {
        return switch (op) {
            case NEG -> g.neg();
            case EXP -> g.mul(y);
            case LOG -> g.div(x);
            case SQRT -> g.div(y.mul(2f));
            case ABS -> g.mul(x.sign());
            case SIGN -> null;
            case TANH -> g.mul(y.square().rsub(1f));
            case SIGMOID -> g.mul(y.mul(y.rsub(1f)));
            // The mask is a constant: relu'' = 0 almost everywhere.
            case RELU -> passWherePositive(g, x);
            case SOFTPLUS -> g.mul(x.sigmoid());
            // Phi'(x) = exp(-x^2/2) / sqrt(2 pi)
            case NORMAL_CDF -> g.mul(x.square().mul(-0.5f).exp().mul((float) (1 / Math.sqrt(2 * Math.PI))));
        };
    }

    /**
     * g where x > 0, else 0, in one pass: ReLU's backward. Linear in g with a constant mask, so its own backward is
     * the same operation applied to the incoming gradient.
     */
    static Tensor passWherePositive(Tensor g, Tensor x) {
        float[] gv = g.values(), xv = x.values();
        float[] out = new float[gv.length];
        ComputePool.parallelRange(gv.length, PARALLEL_CHUNK, (from, to) -> ReluKernel.backward(gv, xv, out, from, to));
        Tensor result = Tensor.of(out, g.shape);
        result.recordOp("relu_backward", new Tensor[] {g}, gg -> new Tensor[] {passWherePositive(gg, x)});
        return result;
    }

    // ------------------------------------------------------------------ pow and where

    static Tensor pow(Tensor x, float p) {
        float[] src = x.values();
        float[] out = new float[src.length];
        if (p == 2f) for (int i = 0; i < src.length; i++) out[i] = src[i] * src[i];
        else for (int i = 0; i < src.length; i++) out[i] = (float) Math.pow(src[i], p);
        Tensor result = Tensor.of(out, x.shape);
        result.recordOp("pow", new Tensor[] {x}, g -> new Tensor[] {
                p == 1f ? g : g.mul(x.pow(p - 1).mul(p))});
        return result;
    }

    static Tensor where(Tensor mask, Tensor a, Tensor b) {
        // mask*a + (1-mask)*b keeps the gradient rule trivial; NaN in the unselected branch must not leak, so the
        // values are chosen directly and only the gradient uses the mask.
        int[] outShape = Shape.broadcast(mask.shape, Shape.broadcast(a.shape, b.shape));
        Tensor m = mask.expand(outShape), ea = a.expand(outShape), eb = b.expand(outShape);
        float[] mv = m.values(), av = ea.values(), bv = eb.values();
        float[] out = new float[mv.length];
        for (int i = 0; i < out.length; i++) out[i] = mv[i] != 0 ? av[i] : bv[i];
        Tensor result = Tensor.of(out, outShape);
        result.recordOp("where", new Tensor[] {a, b}, g -> new Tensor[] {
                a.requiresGrad() ? g.mul(mask).sumTo(a.shape) : null,
                b.requiresGrad() ? g.mul(mask.rsubConstant()).sumTo(b.shape) : null});
        return result;
    }
}
