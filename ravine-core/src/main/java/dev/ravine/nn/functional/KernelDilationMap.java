package dev.ravine.nn.functional;

import dev.ravine.tensor.LinearMap;

/**
 * A convolution kernel [o, c, kh, kw] spread out to [o, c, d (kh - 1) + 1, d (kw - 1) + 1] with zeros between its taps:
 * a dilated convolution is the plain convolution with this kernel, so it runs on the fast path; the adjoint picks the
 * taps back out (the dilated kernel's gradient at the taps).
 */
record KernelDilationMap(int o, int c, int kh, int kw, int dilation) implements LinearMap {
    int spanH() {
        return dilation * (kh - 1) + 1;
    }

    int spanW() {
        return dilation * (kw - 1) + 1;
    }

    @Override
    public int[] inShape() {
        return new int[] {o, c, kh, kw};
    }

    @Override
    public int[] outShape() {
        return new int[] {o, c, spanH(), spanW()};
    }

    @Override
    public void apply(float[] in, float[] out) {
        int planes = o * c, h = spanH(), w = spanW();
        for (int p = 0; p < planes; p++) {
            for (int y = 0; y < kh; y++) for (int x = 0; x < kw; x++) out[(p * h + y * dilation) * w + x * dilation] = in[(p * kh + y) * kw + x];
        }
    }

    @Override
    public void applyAdjoint(float[] out, float[] in) {
        int planes = o * c, h = spanH(), w = spanW();
        for (int p = 0; p < planes; p++) {
            for (int y = 0; y < kh; y++) for (int x = 0; x < kw; x++) in[(p * kh + y) * kw + x] += out[(p * h + y * dilation) * w + x * dilation];
        }
    }

    @Override
    public String name() {
        return "dilate_kernel";
    }
}
