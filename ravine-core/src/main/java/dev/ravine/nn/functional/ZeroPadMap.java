package dev.ravine.nn.functional;

import dev.ravine.tensor.LinearMap;

/**
 * Zero padding of an [n, c, h, w] tensor by {@code bottom} rows and {@code right} columns: the extra side of an even
 * kernel's padding: same (torch puts the odd pixel of padding at the end); the adjoint crops it off again.
 */
record ZeroPadMap(int n, int c, int h, int w, int bottom, int right) implements LinearMap {
    @Override
    public int[] inShape() {
        return new int[] {n, c, h, w};
    }

    @Override
    public int[] outShape() {
        return new int[] {n, c, h + bottom, w + right};
    }

    @Override
    public void apply(float[] in, float[] out) {
        int ow = w + right, oh = h + bottom;
        for (int p = 0; p < n * c; p++) for (int y = 0; y < h; y++) System.arraycopy(in, (p * h + y) * w, out, (p * oh + y) * ow, w);
    }

    @Override
    public void applyAdjoint(float[] out, float[] in) {
        int ow = w + right, oh = h + bottom;
        for (int p = 0; p < n * c; p++) for (int y = 0; y < h; y++) System.arraycopy(out, (p * oh + y) * ow, in, (p * h + y) * w, w);
    }

    @Override
    public String name() {
        return "zero_pad";
    }
}
