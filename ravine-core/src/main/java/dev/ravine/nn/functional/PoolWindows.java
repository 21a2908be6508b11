package dev.ravine.nn.functional;

import dev.ravine.tensor.LinearMap;

/**
 * The windows of a square pooling over [n, c, h, w] with torch's general rules, for the options the pooling kernels do
 * not take: {@code ceilMode} (the output size rounds up, so a last partial window is kept, as long as it starts inside
 * the input or its left padding) and, for average pooling, {@code countIncludePad} false (divide by the real elements
 * of the window, not by k^2). As a linear map it is the average pooling; {@link #maxIndices} gives max pooling's
 * winners for a gather.
 */
record PoolWindows(int n, int c, int h, int w, int kernel, int stride, int padding, boolean ceilMode, boolean countIncludePad)
        implements LinearMap {

    /** torch's pooling_output_shape (dilation 1). */
    static int outSize(int in, int kernel, int stride, int padding, boolean ceilMode) {
        int span = in + 2 * padding - kernel;
        if (span < 0) throw new IllegalArgumentException("window " + kernel + " does not fit an input of " + in + " with padding " + padding);
        int out = Math.floorDiv(span + (ceilMode ? stride - 1 : 0), stride) + 1;
        if (ceilMode && (out - 1) * stride >= in + padding) out--;
        return out;
    }

    int outH() {
        return outSize(h, kernel, stride, padding, ceilMode);
    }

    int outW() {
        return outSize(w, kernel, stride, padding, ceilMode);
    }

    @Override
    public int[] inShape() {
        return new int[] {n, c, h, w};
    }

    @Override
    public int[] outShape() {
        return new int[] {n, c, outH(), outW()};
    }

    /** For each output, the flat index of its window's first maximum (NaN wins, as the max-pooling kernel). */
    int[] maxIndices(float[] x) {
        int oh = outH(), ow = outW();
        int[] idx = new int[n * c * oh * ow];
        int o = 0;
        for (int p = 0; p < n * c; p++) {
            for (int oy = 0; oy < oh; oy++) {
                int y0 = Math.max(oy * stride - padding, 0), y1 = Math.min(oy * stride - padding + kernel, h);
                for (int ox = 0; ox < ow; ox++, o++) {
                    int x0 = Math.max(ox * stride - padding, 0), x1 = Math.min(ox * stride - padding + kernel, w);
                    int best = (p * h + y0) * w + x0;
                    float bestValue = Float.NEGATIVE_INFINITY;
                    for (int y = y0; y < y1; y++) {
                        for (int xx = x0; xx < x1; xx++) {
                            int at = (p * h + y) * w + xx;
                            if (x[at] > bestValue || Float.isNaN(x[at])) {
                                bestValue = x[at];
                                best = at;
                                if (Float.isNaN(bestValue)) break;
                            }
                        }
                    }
                    idx[o] = best;
                }
            }
        }
        return idx;
    }

    /** The divisor of an average window: torch's (clipped to the padded input) or, without countIncludePad, its real elements. */
    private int divisor(int oy, int ox) {
        int ys = oy * stride - padding, xs = ox * stride - padding;
        int ye = Math.min(ys + kernel, h + padding), xe = Math.min(xs + kernel, w + padding);
        if (countIncludePad) return (ye - ys) * (xe - xs);
        return (Math.min(ye, h) - Math.max(ys, 0)) * (Math.min(xe, w) - Math.max(xs, 0));
    }

    @Override
    public void apply(float[] in, float[] out) {
        walk(in, out, false);
    }

    @Override
    public void applyAdjoint(float[] out, float[] in) {
        walk(in, out, true);
    }

    /** out[window] = sum(in[window]) / divisor, or its adjoint in[window] += out[window] / divisor. */
    private void walk(float[] in, float[] out, boolean adjoint) {
        int oh = outH(), ow = outW(), o = 0;
        for (int p = 0; p < n * c; p++) {
            for (int oy = 0; oy < oh; oy++) {
                int y0 = Math.max(oy * stride - padding, 0), y1 = Math.min(oy * stride - padding + kernel, h);
                for (int ox = 0; ox < ow; ox++, o++) {
                    int x0 = Math.max(ox * stride - padding, 0), x1 = Math.min(ox * stride - padding + kernel, w);
                    float d = divisor(oy, ox);
                    if (adjoint) {
                        float share = out[o] / d;
                        for (int y = y0; y < y1; y++) for (int xx = x0; xx < x1; xx++) in[(p * h + y) * w + xx] += share;
                    } else {
                        float sum = 0;
                        for (int y = y0; y < y1; y++) for (int xx = x0; xx < x1; xx++) sum += in[(p * h + y) * w + xx];
                        out[o] = sum / d;
                    }
                }
            }
        }
    }

    @Override
    public String name() {
        return "pool_windows";
    }
}
