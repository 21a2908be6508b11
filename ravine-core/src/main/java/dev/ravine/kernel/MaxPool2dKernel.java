package dev.ravine.kernel;

import java.util.Arrays;
import java.util.Objects;

/**
 * 2-D max pooling over {@code [n, c, h, w]} (NCHW, row-major) with PyTorch {@code max_pool2d}
 * semantics: implicit padding acts as {@code -infinity} (it never wins), floor mode, no dilation.
 * Output is {@code [n, c, outH, outW]} with {@code outH = Im2Col.outSize(h, kh, strideH, padH)}.
 *
 * <p>Choice of the reported index, identical to PyTorch's CPU kernel: the window is scanned in
 * row-major order and a candidate replaces the current maximum only if it is strictly greater, so
 * the FIRST of several equal maxima wins; a NaN always replaces the current value, so any NaN in a
 * window makes the output NaN and the index points at a NaN (the last one in scan order).
 *
 * <p>Like PyTorch, padding may be at most half the kernel, which guarantees every window holds at
 * least one real element (so each index is a real input position). Work is split by sample over
 * {@link ComputePool}; each output is written by one task, so results do not depend on the thread
 * count.
 */
public final class MaxPool2dKernel {
    /** Whether the 2x2 / stride 2 window runs a vector of windows at a time (same choice as {@link Gemm}). */
    private static final boolean VECTOR = Gemm.implementation().startsWith("vector");

    private MaxPool2dKernel() {
    }

    /**
     * Forward pass. Writes {@code n*c*outH*outW} maxima to {@code out} at {@code outOff} and, if
     * {@code indices} is non-null, the position of each maximum to {@code indices} at
     * {@code indicesOff}. An index is the flat offset of the winning element inside the whole input
     * {@code [n, c, h, w]} block, relative to {@code xOff} (not per plane as PyTorch reports it),
     * so {@link #scatterAdd} can route gradients without knowing the geometry.
     */
    public static void forward(float[] x, int xOff, int n, int c, int h, int w,
                               int kh, int kw, int strideH, int strideW, int padH, int padW,
                               float[] out, int outOff, int[] indices, int indicesOff) {
        Im2Col.Geometry g = new Im2Col.Geometry(n, c, h, w, kh, kw, strideH, strideW, padH, padW)
                .requirePoolPadding();
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(out, "out");
        Objects.checkFromIndexSize(xOff, g.inputSize(), x.length);
        Objects.checkFromIndexSize(outOff, g.outputSize(), out.length);
        if (indices != null) {
            Objects.checkFromIndexSize(indicesOff, g.outputSize(), indices.length);
        }
        int[] corners = VECTOR && isPlain2x2(g) ? VectorMaxPool.corners(g.outH, g.outW, g.w) : null;
        ComputePool.parallelFor(n, s -> {
            for (int p = s * c; p < (s + 1) * c; p++) {
                if (corners != null) poolPlaneVector(g, x, xOff, p, corners, out, outOff, indices, indicesOff);
                else poolPlane(g, x, xOff, p, out, outOff, indices, indicesOff);
            }
        });
    }

    /**
     * Backward helper: {@code gradIn[indices[i]] += gradOut[i]} for every {@code i < gradOut.length}.
     * Accumulates (does not clear {@code gradIn}); overlapping windows that share a maximum add up.
     */
    public static void scatterAdd(float[] gradOut, int[] indices, float[] gradIn) {
        if (gradOut.length != indices.length) {
            throw new IllegalArgumentException("gradOut has " + gradOut.length + " elements but indices has "
                    + indices.length);
        }
        scatterAdd(gradOut, 0, indices, 0, gradOut.length, gradIn, 0);
    }

    /**
     * Offset form of {@link #scatterAdd(float[], int[], float[])}:
     * {@code gradIn[gradInOff + indices[indicesOff + i]] += gradOut[gradOutOff + i]} for {@code i < count}.
     * Sequential on purpose: indices may repeat, and a fixed summation order keeps results reproducible.
     */
    public static void scatterAdd(float[] gradOut, int gradOutOff, int[] indices, int indicesOff, int count,
                                  float[] gradIn, int gradInOff) {
        Objects.checkFromIndexSize(gradOutOff, count, gradOut.length);
        Objects.checkFromIndexSize(indicesOff, count, indices.length);
        for (int i = 0; i < count; i++) {
            int target = gradInOff + indices[indicesOff + i];
            gradIn[target] += gradOut[gradOutOff + i];
        }
    }

    /**
     * The backward pass of {@link #forward}: {@code gradIn} ({@code n} samples of {@code sampleSize} values) is
     * overwritten with {@code gradOut} ({@code n} samples of {@code outputsPerSample}) routed through the forward's
     * indices. A window never leaves its sample, so samples are independent tasks; inside one, the outputs add in
     * order, so every input gets the same sum in the same order as {@link #scatterAdd} over the whole batch, on any
     * number of threads.
     *
     * @throws IllegalArgumentException if an index points outside its own sample (indices not from {@link #forward})
     */
    public static void backward(float[] gradOut, int[] indices, int n, int outputsPerSample, int sampleSize, float[] gradIn) {
        int outputs = Math.multiplyExact(n, outputsPerSample);
        Objects.checkFromIndexSize(0, outputs, gradOut.length);
        Objects.checkFromIndexSize(0, outputs, indices.length);
        Objects.checkFromIndexSize(0, Math.multiplyExact(n, sampleSize), gradIn.length);
        ComputePool.parallelFor(n, s -> scatterSample(gradOut, indices, s, outputsPerSample, sampleSize, gradIn));
    }

    private static void scatterSample(float[] gradOut, int[] indices, int s, int outputsPerSample, int sampleSize,
                                      float[] gradIn) {
        int base = s * sampleSize;
        Arrays.fill(gradIn, base, base + sampleSize, 0f);
        for (int i = s * outputsPerSample, end = i + outputsPerSample; i < end; i++) {
            int target = indices[i];
            // One unsigned comparison: also catches a negative offset. Another sample's task owns that region.
            if (Integer.compareUnsigned(target - base, sampleSize) >= 0) {
                throw new IllegalArgumentException("max-pool index " + target + " of output " + i + " is outside sample " + s
                        + " (inputs " + base + " to " + (base + sampleSize - 1) + ")");
            }
            gradIn[target] += gradOut[i];
        }
    }

    /** The common 2x2 window, stride 2, no padding. */
    private static boolean isPlain2x2(Im2Col.Geometry g) {
        return g.kh == 2 && g.kw == 2 && g.strideH == 2 && g.strideW == 2 && g.padH == 0 && g.padW == 0;
    }

    /**
     * A 2x2 plane a vector of windows at a time ({@link VectorMaxPool}); a vector whose windows hold a NaN is redone
     * window by window by the general rule.
     */
    private static void poolPlaneVector(Im2Col.Geometry g, float[] x, int xOff, int plane, int[] corners,
                                        float[] out, int outOff, int[] indices, int indicesOff) {
        int planeBase = plane * g.h * g.w, windows = g.outH * g.outW, first = plane * windows;
        if (2 * g.outW > VectorMaxPool.lanes()) {
            poolPlaneByRows(g, x, xOff, planeBase, first, out, outOff, indices, indicesOff);
            return;
        }
        for (int from = 0; from < windows; from += VectorMaxPool.lanes()) {
            if (VectorMaxPool.pool(x, xOff + planeBase, g.w, corners, from, windows, planeBase,
                    out, outOff + first, indices, indicesOff + first)) {
                continue;
            }
            for (int o = from, end = Math.min(windows, from + VectorMaxPool.lanes()); o < end; o++) {
                poolWindow(g, x, xOff, planeBase, o / g.outW, o % g.outW, first + o, out, outOff, indices, indicesOff);
            }
        }
    }

    /**
     * A 2x2 plane more than half a vector of windows wide, row by row ({@link VectorMaxPool#poolRow}). A row of at
     * least a vector of windows ends with a vector that starts a vector before the row's end, so it may redo some
     * windows of the one before, with the same result; a shorter row is one partial vector, stored whole (into the
     * next row's first windows, which that row rewrites) except on the plane's last row.
     */
    private static void poolPlaneByRows(Im2Col.Geometry g, float[] x, int xOff, int planeBase, int first,
                                        float[] out, int outOff, int[] indices, int indicesOff) {
        int lanes = VectorMaxPool.lanes(), count = Math.min(lanes, g.outW);
        for (int oy = 0; oy < g.outH; oy++) {
            int stored = count == lanes || oy < g.outH - 1 ? lanes : count;
            for (int ox = 0; ox < g.outW; ox += lanes) {
                int from = Math.min(ox, g.outW - count), o = first + oy * g.outW + from;
                if (VectorMaxPool.poolRow(x, xOff + planeBase, g.w, oy, from, count, stored, planeBase, out,
                        outOff + o, indices, indicesOff + o)) {
                    continue;
                }
                for (int l = 0; l < count; l++) {
                    poolWindow(g, x, xOff, planeBase, oy, from + l, o + l, out, outOff, indices, indicesOff);
                }
            }
        }
    }

    /** Pools one (sample, channel) plane; {@code plane} is its index in {@code [0, n*c)}. */
    private static void poolPlane(Im2Col.Geometry g, float[] x, int xOff, int plane,
                                  float[] out, int outOff, int[] indices, int indicesOff) {
        if (isPlain2x2(g)) {
            poolPlane2x2(g, x, xOff, plane, out, outOff, indices, indicesOff);
            return;
        }
        poolPlaneGeneral(g, x, xOff, plane, out, outOff, indices, indicesOff);
    }

    /**
     * The common 2x2 / stride 2 window without branches on the data: on real activations each comparison is a coin
     * flip, and mispredicted branches made the general loop several times slower. Comparisons become 0/1 integers
     * and the winner's index is computed arithmetically; ties go to the first element in scan order, as in the
     * general loop. A window whose maximum is NaN is redone by the general loop, which knows NaN's rule.
     */
    private static void poolPlane2x2(Im2Col.Geometry g, float[] x, int xOff, int plane,
                                     float[] out, int outOff, int[] indices, int indicesOff) {
        int planeBase = plane * g.h * g.w;
        int o = plane * g.outH * g.outW;
        int w = g.w;
        for (int oy = 0; oy < g.outH; oy++) {
            int rowBase = planeBase + 2 * oy * w;
            for (int ox = 0; ox < g.outW; ox++, o++) {
                int p = rowBase + 2 * ox;
                float a = x[xOff + p], b = x[xOff + p + 1], c = x[xOff + p + w], d = x[xOff + p + w + 1];
                int right1 = b > a ? 1 : 0, right2 = d > c ? 1 : 0;
                float top = Math.max(a, b), bottom = Math.max(c, d);
                int down = bottom > top ? 1 : 0;
                int winner = p + down * w + right1 + down * (right2 - right1);
                float best = x[xOff + winner];
                if (Math.max(top, bottom) != Math.max(top, bottom)) {
                    poolWindow(g, x, xOff, planeBase, oy, ox, o, out, outOff, indices, indicesOff);
                    continue;
                }
                out[outOff + o] = best;
                if (indices != null) indices[indicesOff + o] = winner;
            }
        }
    }

    private static void poolPlaneGeneral(Im2Col.Geometry g, float[] x, int xOff, int plane,
                                         float[] out, int outOff, int[] indices, int indicesOff) {
        int planeBase = plane * g.h * g.w;
        int o = plane * g.outH * g.outW;
        for (int oy = 0; oy < g.outH; oy++) {
            for (int ox = 0; ox < g.outW; ox++, o++) {
                poolWindow(g, x, xOff, planeBase, oy, ox, o, out, outOff, indices, indicesOff);
            }
        }
    }

    /** One output position by the general rule: ties to the first element, NaN wins (the last NaN), as PyTorch. */
    private static void poolWindow(Im2Col.Geometry g, float[] x, int xOff, int planeBase, int oy, int ox, int o,
                                   float[] out, int outOff, int[] indices, int indicesOff) {
        int y0 = Math.max(oy * g.strideH - g.padH, 0);
        int y1 = Math.min(oy * g.strideH - g.padH + g.kh, g.h);
        int x0 = Math.max(ox * g.strideW - g.padW, 0);
        int x1 = Math.min(ox * g.strideW - g.padW + g.kw, g.w);
        // Starts at the window's first real element with -inf, exactly like PyTorch, so an all -inf window
        // reports its first element.
        float best = Float.NEGATIVE_INFINITY;
        int bestIndex = planeBase + y0 * g.w + x0;
        for (int iy = y0; iy < y1; iy++) {
            int row = planeBase + iy * g.w;
            for (int ix = x0; ix < x1; ix++) {
                float v = x[xOff + row + ix];
                if (v > best || Float.isNaN(v)) {
                    best = v;
                    bestIndex = row + ix;
                }
            }
        }
        out[outOff + o] = best;
        if (indices != null) indices[indicesOff + o] = bestIndex;
    }
}
