package dev.ravine.nn.functional;

import dev.ravine.kernel.Im2Col;
import dev.ravine.tensor.LinearMap;

/**
 * [n, c, h, w] -> [n, c*kh*kw, outH*outW]: each sample's patches as columns, so the convolution is one batched GEMM
 * whose output is already in [n, out, outH*outW] order (no transpose of the result). The adjoint (col2im) is the
 * backward, and im2col is col2im's backward: convolution is differentiable to any order.
 */
record Im2ColMap(Conv2dGeometry g) implements LinearMap {
    @Override
    public int[] inShape() {
        return g.inShape();
    }

    @Override
    public int[] outShape() {
        return new int[] {g.n(), g.c() * g.kh() * g.kw(), g.outH() * g.outW()};
    }

    @Override
    public void apply(float[] in, float[] out) {
        Im2Col.im2col(in, 0, g.n(), g.c(), g.h(), g.w(), g.kh(), g.kw(), g.strideH(), g.strideW(), g.padH(), g.padW(), out, 0);
    }

    @Override
    public void applyAdjoint(float[] out, float[] in) {
        Im2Col.col2im(out, 0, g.n(), g.c(), g.h(), g.w(), g.kh(), g.kw(), g.strideH(), g.strideW(), g.padH(), g.padW(), in, 0);
    }

    @Override
    public String name() {
        return "im2col";
    }
}
