package dev.ravine.kernel;

import java.util.Arrays;
import java.util.Objects;

/**
 * 2-D average pooling over {@code [n, c, h, w]} (NCHW, row-major) with PyTorch {@code avg_pool2d}
 * defaults: zero padding that COUNTS toward the divisor ({@code count_include_pad=true}) and floor
 * mode. In floor mode no window reaches past the padded border, so the divisor is always
 * {@code kh*kw}. Output is {@code [n, c, outH, outW]} with
 * {@code outH = Im2Col.outSize(h, kh, strideH, padH)}; padding may be at most half the kernel, as
 * in PyTorch.
 *
 * <p>Both directions are linear maps and {@link #backward} is the exact adjoint of {@link #forward}.
 * Work is split by sample over {@link ComputePool}; each output (and, in the backward, each input
 * gradient) is written by one task in a fixed order, so results do not depend on the thread count.
 */
public final class AvgPool2dKernel {

    private AvgPool2dKernel() {
    }

    /** Forward pass: writes {@code n*c*outH*outW} window means to {@code out} at {@code outOff}. */
    public static void forward(float[] x, int xOff, int n, int c, int h, int w,
                               int kh, int kw, int strideH, int strideW, int padH, int padW,
                               float[] out, int outOff) {
        Im2Col.Geometry g = geometry(n, c, h, w, kh, kw, strideH, strideW, padH, padW);
        checkArrays(g, x, xOff, out, outOff);
        ComputePool.parallelFor(n, s -> {
            for (int p = s * c; p < (s + 1) * c; p++) {
                averagePlane(g, x, xOff, p, out, outOff);
            }
        });
    }

    /**
     * Backward pass (adjoint of {@link #forward}): spreads each output gradient evenly, divided by
     * {@code kh*kw}, over the real input elements of its window; the share of padded positions is
     * dropped. The region {@code gradIn[gradInOff, gradInOff + n*c*h*w)} is zeroed first by this
     * method (it overwrites, it does not accumulate into earlier contents).
     */
    public static void backward(float[] gradOut, int gradOutOff, int n, int c, int h, int w,
                                int kh, int kw, int strideH, int strideW, int padH, int padW,
                                float[] gradIn, int gradInOff) {
        Im2Col.Geometry g = geometry(n, c, h, w, kh, kw, strideH, strideW, padH, padW);
        checkArrays(g, gradIn, gradInOff, gradOut, gradOutOff);
        ComputePool.parallelFor(n, s -> {
            for (int p = s * c; p < (s + 1) * c; p++) {
                spreadPlane(g, gradOut, gradOutOff, p, gradIn, gradInOff);
            }
        });
    }

    private static Im2Col.Geometry geometry(int n, int c, int h, int w, int kh, int kw,
                                            int strideH, int strideW, int padH, int padW) {
        return new Im2Col.Geometry(n, c, h, w, kh, kw, strideH, strideW, padH, padW).requirePoolPadding();
    }

    /** {@code input} has the input shape and {@code output} the pooled shape, whichever direction. */
    private static void checkArrays(Im2Col.Geometry g, float[] input, int inputOff, float[] output, int outputOff) {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(output, "output");
        Objects.checkFromIndexSize(inputOff, g.inputSize(), input.length);
        Objects.checkFromIndexSize(outputOff, g.outputSize(), output.length);
    }

    /** Averages one (sample, channel) plane; {@code plane} is its index in {@code [0, n*c)}. */
    private static void averagePlane(Im2Col.Geometry g, float[] x, int xOff, int plane, float[] out, int outOff) {
        int base = xOff + plane * g.h * g.w;
        int o = outOff + plane * g.outH * g.outW;
        float divisor = g.kh * g.kw;
        for (int oy = 0; oy < g.outH; oy++) {
            int y0 = Math.max(oy * g.strideH - g.padH, 0);
            int y1 = Math.min(oy * g.strideH - g.padH + g.kh, g.h);
            for (int ox = 0; ox < g.outW; ox++, o++) {
                int x0 = Math.max(ox * g.strideW - g.padW, 0);
                int x1 = Math.min(ox * g.strideW - g.padW + g.kw, g.w);
                float sum = 0f;
                for (int iy = y0; iy < y1; iy++) {
                    int row = base + iy * g.w;
                    for (int ix = x0; ix < x1; ix++) {
                        sum += x[row + ix];
                    }
                }
                // Sum then divide (not multiply by 1/k), matching PyTorch's rounding.
                out[o] = sum / divisor;
            }
        }
    }

    /** Zeroes one plane of gradIn, then adds each output gradient's share to its window. */
    private static void spreadPlane(Im2Col.Geometry g, float[] gradOut, int gradOutOff, int plane,
                                    float[] gradIn, int gradInOff) {
        int base = gradInOff + plane * g.h * g.w;
        int o = gradOutOff + plane * g.outH * g.outW;
        Arrays.fill(gradIn, base, base + g.h * g.w, 0f);
        float divisor = g.kh * g.kw;
        for (int oy = 0; oy < g.outH; oy++) {
            int y0 = Math.max(oy * g.strideH - g.padH, 0);
            int y1 = Math.min(oy * g.strideH - g.padH + g.kh, g.h);
            for (int ox = 0; ox < g.outW; ox++, o++) {
                int x0 = Math.max(ox * g.strideW - g.padW, 0);
                int x1 = Math.min(ox * g.strideW - g.padW + g.kw, g.w);
                float share = gradOut[o] / divisor;
                for (int iy = y0; iy < y1; iy++) {
                    int row = base + iy * g.w;
                    for (int ix = x0; ix < x1; ix++) {
                        gradIn[row + ix] += share;
                    }
                }
            }
        }
    }
}
