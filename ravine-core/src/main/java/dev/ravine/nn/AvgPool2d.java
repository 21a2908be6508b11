package dev.ravine.nn;

import dev.ravine.nn.functional.Functional;
import dev.ravine.tensor.Tensor;

/** Average pooling over square windows; padded zeros count in the average (PyTorch's count_include_pad). */
public final class AvgPool2d extends Module {
    private final int kernel, stride, padding;
    private final boolean ceilMode, countIncludePad;

    public AvgPool2d(int kernel, int stride, int padding) {
        this(kernel, stride, padding, false, true);
    }

    /**
     * @param ceilMode        torch's ceil_mode: round the output size up, keeping a last partial window
     * @param countIncludePad torch's count_include_pad: false divides each window by its real elements only
     */
    public AvgPool2d(int kernel, int stride, int padding, boolean ceilMode, boolean countIncludePad) {
        PoolShapes.validate("avgpool", kernel, stride, padding);
        this.ceilMode = ceilMode;
        this.countIncludePad = countIncludePad;
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

    public boolean countIncludePad() {
        return countIncludePad;
    }

    public int padding() {
        return padding;
    }

    @Override
    protected Tensor forward(Tensor x) {
        return Functional.avgPool2d(x, kernel, stride, padding, ceilMode, countIncludePad);
    }

    @Override
    public String kind() {
        return "avgpool";
    }

    @Override
    public int[] outputShape(int[] in) {
        return PoolShapes.output(in, kernel, stride, padding, ceilMode);
    }
}
