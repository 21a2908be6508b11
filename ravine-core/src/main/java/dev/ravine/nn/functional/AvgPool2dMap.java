package dev.ravine.nn.functional;

import dev.ravine.kernel.AvgPool2dKernel;
import dev.ravine.tensor.LinearMap;

/** Average pooling (count_include_pad, floor mode, as PyTorch's defaults) as a linear map with its adjoint. */
record AvgPool2dMap(Conv2dGeometry g) implements LinearMap {
    @Override
    public int[] inShape() {
        return g.inShape();
    }

    @Override
    public int[] outShape() {
        return new int[] {g.n(), g.c(), g.outH(), g.outW()};
    }

    @Override
    public void apply(float[] in, float[] out) {
        AvgPool2dKernel.forward(in, 0, g.n(), g.c(), g.h(), g.w(), g.kh(), g.kw(), g.strideH(), g.strideW(), g.padH(), g.padW(), out, 0);
    }

    @Override
    public void applyAdjoint(float[] out, float[] in) {
        AvgPool2dKernel.backward(out, 0, g.n(), g.c(), g.h(), g.w(), g.kh(), g.kw(), g.strideH(), g.strideW(), g.padH(), g.padW(), in, 0);
    }

    @Override
    public String name() {
        return "avgpool2d";
    }
}
