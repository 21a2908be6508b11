package dev.ravine.nn;

import dev.ravine.nn.functional.Functional;
import dev.ravine.tensor.Tensor;

/** Average pooling over square windows; padded zeros count in the average (PyTorch's count_include_pad). */
public final class AvgPool2d extends Module {
    private final int kernel, stride, padding;

    public AvgPool2d(int kernel, int stride, int padding) {
        PoolShapes.validate("avgpool", kernel, stride, padding);
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

    public int padding() {
        return padding;
    }

    @Override
    protected Tensor forward(Tensor x) {
        return Functional.avgPool2d(x, kernel, kernel, stride, stride, padding, padding);
    }

    @Override
    public String kind() {
        return "avgpool";
    }

    @Override
    public int[] outputShape(int[] in) {
        return PoolShapes.output(in, kernel, stride, padding);
    }
}
