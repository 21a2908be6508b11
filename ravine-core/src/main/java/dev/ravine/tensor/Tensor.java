package dev.ravine.tensor;

import dev.ravine.autograd.Autograd;
import dev.ravine.autograd.BackwardFunction;
import dev.ravine.autograd.FiniteCheck;
import dev.ravine.autograd.GradMode;
import dev.ravine.autograd.Node;
import java.util.Arrays;

/**
 * An n-dimensional float32 array, row-major, possibly a view (reshape, permute, slice, expand) of another tensor's
 * storage, and a node of the autograd tape when it was computed from tensors that require grad.
 *
 * <p>This class is the facade: each operation is a one-line call into the file that implements it
 * ({@link Elementwise}, {@link Reductions}, {@link Views}, {@link MatMul}, {@link LinearOps}). Every operation
 * returns a new tensor; the only in-place mutations are the explicit {@code *_} methods used by optimizers and
 * the gradient accumulation of leaves.
 */
public final class Tensor {
    final float[] data;
    final int offset;
    final int[] shape;
    final int[] strides;

    private boolean requiresGrad;
    private Tensor grad;
    private Node gradFn;
    private String name;
    private boolean retainGrad;
    /** Whether {@link #grad} is storage the backward pass computed, taken without a copy (see {@link #accumulateOwnGrad}). */
    private boolean gradShared;

    Tensor(float[] data, int offset, int[] shape, int[] strides) {
        this.data = data;
        this.offset = offset;
        this.shape = shape;
        this.strides = strides;
    }

    // ---------------------------------------------------------------- creation

    /** Wraps {@code data} (no copy) as a contiguous tensor of the given shape. */
    public static Tensor of(float[] data, int... shape) {
        int n = Shape.numel(shape);
        if (data.length != n) {
            throw new TensorShapeException("shape " + Shape.str(shape) + " needs " + n + " values, got " + data.length);
        }
        return new Tensor(data, 0, shape.clone(), Shape.contiguousStrides(shape));
    }

    public static Tensor scalar(float value) {
        return new Tensor(new float[] {value}, 0, new int[0], new int[0]);
    }

    public static Tensor zeros(int... shape) {
        return of(new float[Shape.numel(shape)], shape);
    }

    public static Tensor ones(int... shape) {
        return full(1f, shape);
    }

    public static Tensor full(float value, int... shape) {
        float[] d = new float[Shape.numel(shape)];
        Arrays.fill(d, value);
        return of(d, shape);
    }

    /** Uniform in [low, high). */
    public static Tensor uniform(Rng rng, float low, float high, int... shape) {
        float[] d = new float[Shape.numel(shape)];
        for (int i = 0; i < d.length; i++) d[i] = low + (high - low) * rng.nextFloat();
        return of(d, shape);
    }

    public static Tensor normal(Rng rng, float mean, float std, int... shape) {
        float[] d = new float[Shape.numel(shape)];
        for (int i = 0; i < d.length; i++) d[i] = (float) (mean + std * rng.nextGaussian());
        return of(d, shape);
    }

    /**
     * The result of an operation: records {@code backward} on the tape when grad mode is on and an input requires
     * grad. Layers and functional ops outside this package build their differentiable primitives with it.
     */
    public static Tensor fromOp(float[] data, int[] shape, String op, Tensor[] inputs, BackwardFunction backward) {
        Tensor out = of(data, shape);
        out.recordOp(op, inputs, backward);
        return out;
    }

    void recordOp(String op, Tensor[] inputs, BackwardFunction backward) {
        FiniteCheck.afterForward(op, inputs, this); // one volatile read unless a check is open (the doctor's NaN replay)
        if (!GradMode.isEnabled()) return;
        for (Tensor in : inputs) {
            if (in != null && in.requiresGrad) {
                this.requiresGrad = true;
                this.gradFn = new Node(op, inputs, backward, FiniteCheck.scope());
                return;
            }
        }
    }

    // ---------------------------------------------------------------- inspection

    public int[] shape() {
        return shape.clone();
    }

    public int dim() {
        return shape.length;
    }

    public int size(int axis) {
        return shape[Shape.axis(axis, shape.length)];
    }

    public int numel() {
        return Shape.numel(shape);
    }

    public int[] strides() {
        return strides.clone();
    }

    public int offset() {
        return offset;
    }

    /** The backing storage, shared with views; index it with {@link #offset()} and {@link #strides()}. */
    public float[] storage() {
        return data;
    }

    public boolean isContiguous() {
        int s = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] != 1 && strides[i] != s) return false;
            s *= shape[i];
        }
        return true;
    }

    /** True when the storage is exactly this tensor's values in row-major order, so it can be used as a flat array. */
    public boolean isDense() {
        return offset == 0 && data.length == numel() && isContiguous();
    }

    /** The values in row-major order: the storage itself when dense (do not modify it then), otherwise a copy. */
    public float[] values() {
        return isDense() ? data : Views.gather(this);
    }

    public float[] toArray() {
        return isDense() ? data.clone() : Views.gather(this);
    }

    public float item() {
        if (numel() != 1) throw new TensorShapeException("item() needs a single-element tensor, shape is " + Shape.str(shape));
        return data[offset];
    }

    public float get(int... index) {
        if (index.length != shape.length) {
            throw new TensorShapeException("index " + Arrays.toString(index) + " has " + index.length + " axes; tensor has " + shape.length);
        }
        int p = offset;
        for (int i = 0; i < index.length; i++) {
            if (index[i] < 0 || index[i] >= shape[i]) {
                throw new IndexOutOfBoundsException("index " + index[i] + " out of range for axis " + i + " of size " + shape[i]);
            }
            p += index[i] * strides[i];
        }
        return data[p];
    }

    public String name() {
        return name;
    }

    public Tensor named(String name) {
        this.name = name;
        return this;
    }

    @Override
    public String toString() {
        float[] v = values();
        int shown = Math.min(v.length, 8);
        StringBuilder sb = new StringBuilder("Tensor").append(Shape.str(shape)).append('[');
        for (int i = 0; i < shown; i++) sb.append(i > 0 ? ", " : "").append(v[i]);
        if (shown < v.length) sb.append(", ...");
        return sb.append(']').toString();
    }

    // ---------------------------------------------------------------- autograd

    public boolean requiresGrad() {
        return requiresGrad;
    }

    /** Marks a leaf as a variable to differentiate with respect to. */
    public Tensor requiresGrad(boolean value) {
        if (gradFn != null && !value) throw new IllegalStateException("cannot clear requiresGrad on a computed tensor; use detach()");
        this.requiresGrad = value;
        return this;
    }

    /**
     * Asks {@link #backward()} to store this computed tensor's gradient in {@link #grad()} too (PyTorch's
     * retain_grad): how the gradient with respect to a layer's output is observed.
     */
    public Tensor retainGrad() {
        this.retainGrad = true;
        return this;
    }

    public boolean retainsGrad() {
        return retainGrad;
    }

    public Node gradFn() {
        return gradFn;
    }

    public boolean isLeaf() {
        return gradFn == null;
    }

    /** The gradient accumulated by {@link #backward()}, or null. */
    public Tensor grad() {
        return grad;
    }

    public void setGrad(Tensor g) {
        this.grad = g;
        this.gradShared = false;
    }

    public void zeroGrad() {
        if (grad == null) return;
        if (gradShared) setGrad(Tensor.zeros(shape)); // the shared storage is not this tensor's to write
        else Arrays.fill(grad.data, 0f);
    }

    /** Adds {@code g} to this leaf's gradient, in place after the first time (gradient accumulation). */
    public void accumulateGrad(Tensor g) {
        if (grad == null) {
            grad = Tensor.of(g.toArray(), shape);
        } else {
            float[] src = g.values();
            float[] dst = gradShared ? grad.data.clone() : grad.data;
            for (int i = 0; i < dst.length; i++) dst[i] += src[i];
            if (gradShared) setGrad(Tensor.of(dst, shape));
        }
    }

    /**
     * As {@link #accumulateGrad}, but a first gradient that is dense becomes this tensor's gradient without a copy. For
     * Autograd, with a gradient it computed and handed to nothing else: the backward pass never writes a gradient once
     * computed, and this tensor copies before it adds a second one or zeroes it, so nothing else sees a write. Copying
     * was a model's worth of memory a step (every parameter's gradient) and, on the doctor's reading steps, every
     * layer output's.
     */
    public void accumulateOwnGrad(Tensor g) {
        if (grad == null && g.isDense() && Arrays.equals(g.shape, shape)) {
            grad = Tensor.of(g.data, shape);
            gradShared = true;
        } else {
            accumulateGrad(g);
        }
    }

    public void backward() {
        Autograd.backward(this, null);
    }

    public void backward(Tensor gradOutput) {
        Autograd.backward(this, gradOutput);
    }

    /** A tensor with the same values (shared storage) that is not part of any graph. */
    public Tensor detach() {
        return new Tensor(data, offset, shape, strides);
    }

    // ---------------------------------------------------------------- element-wise

    public Tensor add(Tensor o) { return Elementwise.binary(Elementwise.Binary.ADD, this, o); }
    public Tensor sub(Tensor o) { return Elementwise.binary(Elementwise.Binary.SUB, this, o); }
    public Tensor mul(Tensor o) { return Elementwise.binary(Elementwise.Binary.MUL, this, o); }
    public Tensor div(Tensor o) { return Elementwise.binary(Elementwise.Binary.DIV, this, o); }
    /** Element-wise maximum; where equal, the gradient goes to this tensor (as torch.maximum splits it, see Elementwise). */
    public Tensor maximum(Tensor o) { return Elementwise.binary(Elementwise.Binary.MAX, this, o); }
    public Tensor minimum(Tensor o) { return Elementwise.binary(Elementwise.Binary.MIN, this, o); }

    public Tensor add(float c) { return Elementwise.scalar(Elementwise.Binary.ADD, this, c); }
    public Tensor sub(float c) { return Elementwise.scalar(Elementwise.Binary.SUB, this, c); }
    public Tensor mul(float c) { return Elementwise.scalar(Elementwise.Binary.MUL, this, c); }
    public Tensor div(float c) { return Elementwise.scalar(Elementwise.Binary.DIV, this, c); }
    public Tensor pow(float exponent) { return Elementwise.pow(this, exponent); }
    /** c - this */
    public Tensor rsub(float c) { return neg().add(c); }

    public Tensor neg() { return Elementwise.unary(Elementwise.Unary.NEG, this); }
    public Tensor exp() { return Elementwise.unary(Elementwise.Unary.EXP, this); }
    public Tensor log() { return Elementwise.unary(Elementwise.Unary.LOG, this); }
    public Tensor sqrt() { return Elementwise.unary(Elementwise.Unary.SQRT, this); }
    public Tensor abs() { return Elementwise.unary(Elementwise.Unary.ABS, this); }
    public Tensor square() { return mul(this); }
    public Tensor tanh() { return Elementwise.unary(Elementwise.Unary.TANH, this); }
    public Tensor sigmoid() { return Elementwise.unary(Elementwise.Unary.SIGMOID, this); }
    public Tensor relu() { return Elementwise.unary(Elementwise.Unary.RELU, this); }
    /** log(1 + exp(x)), computed without overflow. */
    public Tensor softplus() { return Elementwise.unary(Elementwise.Unary.SOFTPLUS, this); }
    /** Standard normal CDF, Phi(x) = (1 + erf(x / sqrt 2)) / 2. */
    public Tensor normalCdf() { return Elementwise.unary(Elementwise.Unary.NORMAL_CDF, this); }

    /** 1 where this > other (broadcast), else 0; a constant (no gradient). */
    public Tensor gt(Tensor o) { return Elementwise.compare(Elementwise.Binary.GT, this, o); }
    public Tensor gt(float c) { return Elementwise.compare(Elementwise.Binary.GT, this, scalar(c)); }
    public Tensor sign() { return Elementwise.unaryConstant(Elementwise.Unary.SIGN, this); }

    /** 1 - x for a constant mask, outside the graph. */
    Tensor rsubConstant() {
        float[] v = values();
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) out[i] = 1f - v[i];
        return Tensor.of(out, shape);
    }

    /** mask ? a : b, element-wise with broadcasting; mask is a constant 0/1 tensor. */
    public static Tensor where(Tensor mask, Tensor a, Tensor b) { return Elementwise.where(mask, a, b); }

    // ---------------------------------------------------------------- reductions

    public Tensor sum() { return Reductions.sum(this, allAxes(), false); }
    public Tensor sum(int axis, boolean keepDim) { return Reductions.sum(this, new int[] {axis}, keepDim); }
    public Tensor sum(int[] axes, boolean keepDim) { return Reductions.sum(this, axes, keepDim); }
    public Tensor mean() { return Reductions.mean(this, allAxes(), false); }
    public Tensor mean(int axis, boolean keepDim) { return Reductions.mean(this, new int[] {axis}, keepDim); }
    public Tensor mean(int[] axes, boolean keepDim) { return Reductions.mean(this, axes, keepDim); }
    /** Maximum along an axis; the gradient flows to the first maximal element. */
    public Tensor max(int axis, boolean keepDim) { return Reductions.max(this, axis, keepDim); }
    public Tensor max() { return reshape(numel()).max(0, false); }
    /** Index of the maximum along an axis (first one on ties), as a float tensor without gradient. */
    public int[] argmax(int axis) { return Reductions.argmax(this, axis); }
    /** log(sum(exp(x))) along an axis, shifted by the detached maximum so it cannot overflow. */
    public Tensor logSumExp(int axis, boolean keepDim) { return Reductions.logSumExp(this, axis, keepDim); }
    /** Reduces a broadcast gradient back to {@code target} shape by summing the broadcast axes. */
    public Tensor sumTo(int[] target) { return Reductions.sumTo(this, target); }

    private int[] allAxes() {
        int[] a = new int[shape.length];
        for (int i = 0; i < a.length; i++) a[i] = i;
        return a;
    }

    // ---------------------------------------------------------------- views and copies

    /** Same values in a new shape; one size may be -1. A view when this tensor is contiguous, else a copy. */
    public Tensor reshape(int... newShape) { return Views.reshape(this, newShape); }
    public Tensor flatten(int startAxis) { return Views.flatten(this, startAxis); }
    public Tensor permute(int... order) { return Views.permute(this, order); }
    public Tensor transpose(int a, int b) { return Views.transpose(this, a, b); }
    /** Elements [start, end) along an axis, as a view. */
    public Tensor slice(int axis, int start, int end) { return Views.slice(this, axis, start, end); }
    /** A broadcast view with stride 0 on expanded axes. */
    public Tensor expand(int... target) { return Views.expand(this, target); }
    public Tensor contiguous() { return isContiguous() ? this : Views.copy(this); }
    /** A dense copy that is a new leaf (no graph). */
    public Tensor copy() { return Tensor.of(toArray(), shape); }

    /** Concatenation along an axis. */
    public static Tensor concat(int axis, Tensor... parts) { return Views.concat(axis, parts); }

    // ---------------------------------------------------------------- products and linear maps

    /** Matrix product of the last two axes, batch axes broadcast: [..., m, k] @ [..., k, n]. */
    public Tensor matmul(Tensor o) { return MatMul.matmul(this, o); }

    /** Applies a fixed linear map (im2col, pooling, gather); its backward is the adjoint, to any order. */
    public Tensor apply(LinearMap map) { return LinearOps.apply(this, map, false); }

    /** out[i] = flat(this)[indices[i]], with shape {@code outShape}; backward scatters. */
    public Tensor gather(int[] indices, int... outShape) { return apply(new GatherMap(shape, indices, outShape)); }

    // ---------------------------------------------------------------- in-place (optimizers, initializers)

    /** Overwrites this tensor's values (it must be dense); no graph is recorded. */
    public void copyFrom(float[] values) {
        if (!isDense()) throw new IllegalStateException("copyFrom needs a dense tensor");
        if (values.length != data.length) throw new TensorShapeException("copyFrom: " + values.length + " values for shape " + Shape.str(shape));
        System.arraycopy(values, 0, data, 0, values.length);
    }
}
