package dev.ravine.kernel;

import java.util.Arrays;
import java.util.Objects;

/**
 * Unfolds convolution windows into columns (im2col) and folds them back (col2im), so that a 2-D
 * convolution becomes a matrix product. Raw arrays only: {@code float[]} plus offsets, NCHW, row-major.
 *
 * <p>Geometry shared by every method: input {@code [n, c, h, w]}, kernel {@code kh x kw}, strides
 * and zero padding per axis; {@code outH = outSize(h, kh, strideH, padH)}, likewise {@code outW}.
 * Let {@code K = c*kh*kw} (rows) and {@code P = outH*outW} (output positions per sample). The row
 * index of a column matrix is {@code (ci*kh + ky)*kw + kx}; the column index inside one sample is
 * {@code oy*outW + ox}, and that entry holds {@code x[ci, oy*strideH - padH + ky, ox*strideW - padW + kx]},
 * or zero when that position falls in the padding.
 *
 * <p>Two column layouts:
 * <ul>
 *   <li>per-sample ({@link #im2col}/{@link #col2im}): {@code n} consecutive {@code [K, P]} matrices,
 *       good for one GEMM per sample;</li>
 *   <li>batch-major ("wide", {@link #im2colWide}/{@link #col2imWide}): a single {@code [K, n*P]}
 *       matrix whose columns are sample 0's {@code P} positions, then sample 1's, ..., so the whole
 *       batch is one large GEMM {@code W[cout, K] x cols[K, n*P]}.</li>
 * </ul>
 * Both layouts share one per-sample loop that differs only in where a sample's block starts and in
 * the distance between consecutive rows ({@code P} or {@code n*P}).
 *
 * <p>Work is split by sample over {@link ComputePool}; each sample's outputs are written by exactly
 * one task in a fixed order, so results are bit-identical for any thread count.
 */
public final class Im2Col {

    private Im2Col() {
    }

    /**
     * Output length of one spatial axis: {@code (in + 2*pad - k) / stride + 1} (floor mode).
     *
     * @throws IllegalArgumentException if a parameter is out of range or the kernel does not fit
     *                                  into the padded input (output size would be {@code <= 0})
     */
    public static int outSize(int in, int k, int stride, int pad) {
        if (in <= 0 || k <= 0 || stride <= 0 || pad < 0) {
            throw new IllegalArgumentException("invalid conv geometry: input " + in + ", kernel " + k
                    + ", stride " + stride + ", padding " + pad
                    + " (need input > 0, kernel > 0, stride > 0, padding >= 0)");
        }
        long padded = (long) in + 2L * pad;
        // Checked before dividing: Java's division truncates toward zero, so a negative numerator
        // would otherwise yield a bogus output size of 1.
        if (padded < k) {
            throw new IllegalArgumentException("kernel " + k + " larger than padded input " + padded
                    + " (input " + in + ", padding " + pad + "): output size would be <= 0");
        }
        long out = (padded - k) / stride + 1;
        if (out > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("output size " + out + " overflows int");
        }
        return (int) out;
    }

    /**
     * Per-sample im2col: writes {@code n} consecutive {@code [c*kh*kw, outH*outW]} matrices to
     * {@code cols} starting at {@code colsOff}. Padded positions become 0.
     */
    public static void im2col(float[] x, int xOff, int n, int c, int h, int w,
                              int kh, int kw, int strideH, int strideW, int padH, int padW,
                              float[] cols, int colsOff) {
        Geometry g = new Geometry(n, c, h, w, kh, kw, strideH, strideW, padH, padW);
        g.checkArrays(x, xOff, cols, colsOff);
        int block = g.rows() * g.positions();
        ComputePool.parallelFor(n, s -> unfoldSample(g, x, xOff + s * g.sampleSize(),
                cols, colsOff + s * block, g.positions()));
    }

    /**
     * Adjoint of {@link #im2col}: folds the per-sample column matrices back into {@code x}'s shape.
     * The destination region {@code x[xOff, xOff + n*c*h*w)} is first zeroed by this method, then
     * every column entry is accumulated onto the input position it was read from (overlapping
     * windows sum, padded entries are dropped). This is exactly the gradient of im2col.
     */
    public static void col2im(float[] cols, int colsOff, int n, int c, int h, int w,
                              int kh, int kw, int strideH, int strideW, int padH, int padW,
                              float[] x, int xOff) {
        Geometry g = new Geometry(n, c, h, w, kh, kw, strideH, strideW, padH, padW);
        g.checkArrays(x, xOff, cols, colsOff);
        int block = g.rows() * g.positions();
        ComputePool.parallelFor(n, s -> foldSample(g, cols, colsOff + s * block, g.positions(),
                x, xOff + s * g.sampleSize()));
    }

    /**
     * Batch-major im2col: writes ONE {@code [c*kh*kw, n*outH*outW]} matrix to {@code cols} starting
     * at {@code colsOff}; within each row the {@code outH*outW} columns of sample 0 come first, then
     * those of sample 1, and so on. Padded positions become 0.
     */
    public static void im2colWide(float[] x, int xOff, int n, int c, int h, int w,
                                  int kh, int kw, int strideH, int strideW, int padH, int padW,
                                  float[] cols, int colsOff) {
        Geometry g = new Geometry(n, c, h, w, kh, kw, strideH, strideW, padH, padW);
        g.checkArrays(x, xOff, cols, colsOff);
        int rowStride = n * g.positions();
        ComputePool.parallelFor(n, s -> unfoldSample(g, x, xOff + s * g.sampleSize(),
                cols, colsOff + s * g.positions(), rowStride));
    }

    /**
     * Adjoint of {@link #im2colWide}: folds the single {@code [c*kh*kw, n*outH*outW]} matrix back
     * into {@code x}'s shape. Like {@link #col2im}, the destination region is zeroed first and
     * overlapping windows accumulate.
     */
    public static void col2imWide(float[] cols, int colsOff, int n, int c, int h, int w,
                                  int kh, int kw, int strideH, int strideW, int padH, int padW,
                                  float[] x, int xOff) {
        Geometry g = new Geometry(n, c, h, w, kh, kw, strideH, strideW, padH, padW);
        g.checkArrays(x, xOff, cols, colsOff);
        int rowStride = n * g.positions();
        ComputePool.parallelFor(n, s -> foldSample(g, cols, colsOff + s * g.positions(), rowStride,
                x, xOff + s * g.sampleSize()));
    }

    /** Number of floats {@link #im2col} / {@link #im2colWide} write: {@code n*c*kh*kw*outH*outW}. */
    public static long colsSize(int n, int c, int h, int w, int kh, int kw,
                                int strideH, int strideW, int padH, int padW) {
        return new Geometry(n, c, h, w, kh, kw, strideH, strideW, padH, padW).colsSize();
    }

    /**
     * Unfolds one sample. Row r of its column block starts at {@code colsBase + r*rowStride} and
     * holds {@code P} consecutive values.
     */
    private static void unfoldSample(Geometry g, float[] x, int xBase, float[] cols, int colsBase, int rowStride) {
        int row = 0;
        for (int ci = 0; ci < g.c; ci++) {
            int plane = xBase + ci * g.h * g.w;
            for (int ky = 0; ky < g.kh; ky++) {
                for (int kx = 0; kx < g.kw; kx++, row++) {
                    unfoldRow(g, x, plane, ky, kx, cols, colsBase + row * rowStride);
                }
            }
        }
    }

    /** Fills one row (fixed ci, ky, kx) for all output positions of one sample. */
    private static void unfoldRow(Geometry g, float[] x, int plane, int ky, int kx, float[] cols, int dst) {
        // The valid ox range is computed once per row so the inner loop needs no bounds test.
        int oxLo = g.firstValidOut(kx);
        int oxHi = g.endValidOut(kx);
        for (int oy = 0; oy < g.outH; oy++, dst += g.outW) {
            int iy = oy * g.strideH - g.padH + ky;
            if (iy < 0 || iy >= g.h || oxLo >= oxHi) {
                Arrays.fill(cols, dst, dst + g.outW, 0f);
                continue;
            }
            Arrays.fill(cols, dst, dst + oxLo, 0f);
            int src = plane + iy * g.w + oxLo * g.strideW - g.padW + kx;
            if (g.strideW == 1) {
                System.arraycopy(x, src, cols, dst + oxLo, oxHi - oxLo);
            } else {
                for (int ox = oxLo; ox < oxHi; ox++, src += g.strideW) {
                    cols[dst + ox] = x[src];
                }
            }
            Arrays.fill(cols, dst + oxHi, dst + g.outW, 0f);
        }
    }

    /** Zeroes one sample of x, then accumulates its column block onto it (adjoint of unfoldSample). */
    private static void foldSample(Geometry g, float[] cols, int colsBase, int rowStride, float[] x, int xBase) {
        Arrays.fill(x, xBase, xBase + g.sampleSize(), 0f);
        int row = 0;
        for (int ci = 0; ci < g.c; ci++) {
            int plane = xBase + ci * g.h * g.w;
            for (int ky = 0; ky < g.kh; ky++) {
                for (int kx = 0; kx < g.kw; kx++, row++) {
                    foldRow(g, cols, colsBase + row * rowStride, x, plane, ky, kx);
                }
            }
        }
    }

    /** Adds one row (fixed ci, ky, kx) back onto the input plane; padded columns are skipped. */
    private static void foldRow(Geometry g, float[] cols, int src, float[] x, int plane, int ky, int kx) {
        int oxLo = g.firstValidOut(kx);
        int oxHi = g.endValidOut(kx);
        for (int oy = 0; oy < g.outH; oy++, src += g.outW) {
            int iy = oy * g.strideH - g.padH + ky;
            if (iy < 0 || iy >= g.h) {
                continue;
            }
            int dst = plane + iy * g.w + oxLo * g.strideW - g.padW + kx;
            for (int ox = oxLo; ox < oxHi; ox++, dst += g.strideW) {
                x[dst] += cols[src + ox];
            }
        }
    }

    /**
     * Validated sliding-window geometry (input shape, kernel, stride, padding) with the derived
     * output sizes. Package-private so the pooling kernels share the same validation and sizes.
     */
    static final class Geometry {
        final int n, c, h, w, kh, kw, strideH, strideW, padH, padW, outH, outW;

        Geometry(int n, int c, int h, int w, int kh, int kw, int strideH, int strideW, int padH, int padW) {
            if (n < 0 || c <= 0) {
                throw new IllegalArgumentException("invalid batch/channels: n " + n + ", c " + c
                        + " (need n >= 0, c > 0)");
            }
            this.n = n;
            this.c = c;
            this.h = h;
            this.w = w;
            this.kh = kh;
            this.kw = kw;
            this.strideH = strideH;
            this.strideW = strideW;
            this.padH = padH;
            this.padW = padW;
            this.outH = outSize(h, kh, strideH, padH);
            this.outW = outSize(w, kw, strideW, padW);
            // Indices are int; reject shapes whose flat sizes would overflow.
            Math.toIntExact((long) n * c * h * w);
            Math.toIntExact(colsSize());
        }

        /**
         * Pooling rule from PyTorch: padding at most half the kernel, so every window contains at
         * least one real input element.
         */
        Geometry requirePoolPadding() {
            if (padH > kh / 2 || padW > kw / 2) {
                throw new IllegalArgumentException("pool padding (" + padH + ", " + padW
                        + ") must be at most half the kernel (" + kh + ", " + kw + ")");
            }
            return this;
        }

        int inputSize() {
            return n * c * h * w;
        }

        int outputSize() {
            return n * c * outH * outW;
        }

        int rows() {
            return c * kh * kw;
        }

        int positions() {
            return outH * outW;
        }

        int sampleSize() {
            return c * h * w;
        }

        long colsSize() {
            return (long) n * c * kh * kw * outH * outW;
        }

        /** Smallest ox whose input column {@code ox*strideW - padW + kx} is >= 0. */
        int firstValidOut(int kx) {
            return Math.clamp(Math.ceilDiv(padW - kx, strideW), 0, outW);
        }

        /** One past the largest ox whose input column is < w. */
        int endValidOut(int kx) {
            return Math.clamp(Math.ceilDiv(w + padW - kx, strideW), 0, outW);
        }

        void checkArrays(float[] x, int xOff, float[] cols, int colsOff) {
            Objects.requireNonNull(x, "x");
            Objects.requireNonNull(cols, "cols");
            Objects.checkFromIndexSize(xOff, inputSize(), x.length);
            Objects.checkFromIndexSize(colsOff, (int) colsSize(), cols.length);
        }
    }
}
