package dev.ravine.nn;

import dev.ravine.nn.functional.Functional;
import dev.ravine.tensor.Tensor;

/** Max pooling over square windows; padding counts as -infinity (PyTorch semantics). */
public final class MaxPool2d extends Module {
    private final int kernel, stride, padding;
    private final boolean ceilMode;

    public MaxPool2d(int kernel, int stride, int padding) {
        this(kernel, stride, padding, false);
    }

    /** @param ceilMode torch's ceil_mode: round the output size up, keeping a last partial window */
    public MaxPool2d(int kernel, int stride, int padding, boolean ceilMode) {
        PoolShapes.validate("maxpool", kernel, stride, padding);
        this.ceilMode = ceilMode;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
    }

    public int kernel() {
        return kernel;
    }

    public int stride() {
        return stride;
    }

    public boolean ceilMode() {
        return ceilMode;
    }

    public int padding() {
        return padding;
    }

    @Override
    protected Tensor forward(Tensor x) {
        return Functional.maxPool2d(x, kernel, stride, padding, ceilMode);
    }

    @Override
    public String kind() {
        return "maxpool";
    }

    @Override
    public int[] outputShape(int[] in) {
        return PoolShapes.output(in, kernel, stride, padding, ceilMode);
    }
}
