package dev.ravine.kernel;

import static dev.ravine.kernel.MicroKernel.LANES;
import static dev.ravine.kernel.MicroKernel.SPECIES;

import java.util.Arrays;
import java.util.Objects;
import jdk.incubator.vector.FloatVector;

/**
 * 2-D convolution as an implicit GEMM: the micro-kernel's B panels are gathered straight from each sample's
 * zero-padded image ({@link PatchPanels}), so there is no im2col matrix to write and read back, nor col2im to fold.
 * NCHW, row-major, raw arrays; geometry as in {@link Im2Col} (dilation 1).
 *
 * <ul>
 *   <li>{@link #forward}: out_s [o, P] = W [o, K] x patches(x_s) [K, P] (+ bias), K = c kh kw, P = outH outW. The
 *       weight is packed once; tasks are (sample, column block) tiles over the whole batch, so two threads stay busy
 *       on small layers too. The same blocking and micro-kernel as {@link VectorGemm}, so the same bits as im2col
 *       followed by {@link Gemm}.</li>
 *   <li>{@link #inputGradient}: for stride 1 the adjoint of the patch map is itself a convolution: the output
 *       gradient padded by k - 1 - pad, with the kernel flipped and its two channel axes swapped.</li>
 *   <li>{@link #weightGradient}: dW [o, K] = sum over samples of G_s [o, P] x patches(x_s)^T (or its transpose,
 *       where fewer taps than a sliver's columns would leave most of the product padding), summed within fixed
 *       chunks of {@link #CHUNK} samples in parallel, then across chunks in order: the chunks depend only on the
 *       batch, so the result does not depend on the thread count.</li>
 * </ul>
 *
 * Usable only on the Vector API GEMM ({@link #available()}); callers fall back to im2col otherwise.
 */
public final class ImplicitConv {
    /** Samples whose weight gradients one task sums (8: 16 chunks at batch 128, so two threads finish together). */
    static final int CHUNK = 8;
    private static final int KC = VectorGemm.DEPTH;
    private static final int NC = VectorGemm.DEFAULT_BLOCKING.nc();

    private ImplicitConv() {}

    /** Whether {@link Gemm} runs on the Vector API kernel, whose blocking and micro-kernel this class shares. */
    public static boolean available() {
        return Kernel.MICRO != null;
    }

    /** Whether {@link #inputGradient} handles this geometry: stride 1 and padding below the kernel on each axis. */
    public static boolean hasInputGradient(int kh, int kw, int strideH, int strideW, int padH, int padW) {
        return strideH == 1 && strideW == 1 && padH < kh && padW < kw;
    }

    /**
     * out [n, o, outH, outW] = conv(x [n, c, h, w], weight [o, c, kh, kw]) + bias [o] (bias may be null); out is
     * overwritten.
     */
    public static void forward(float[] x, int n, int c, int h, int w, int kh, int kw, int strideH, int strideW,
                               int padH, int padW, float[] weight, int o, float[] bias, float[] out) {
        forward(x, n, c, h, w, kh, kw, strideH, strideW, padH, padW, weight, o, bias, false, out);
    }

    /**
     * {@link #forward} followed, when relu is set, by ReLU ({@code max(v, 0)}, as {@link ReluKernel}), applied in the
     * same pass over each tile as the bias, while the tile is in cache: the same bits as the convolution and a
     * separate ReLU.
     */
    public static void forward(float[] x, int n, int c, int h, int w, int kh, int kw, int strideH, int strideW,
                               int padH, int padW, float[] weight, int o, float[] bias, boolean relu, float[] out) {
        Im2Col.Geometry g = new Im2Col.Geometry(n, c, h, w, kh, kw, strideH, strideW, padH, padW);
        int k = g.rows(), positions = g.positions();
        requireLength("x", x, g.inputSize());
        requireLength("weight", weight, o * k);
        requireLength("out", out, n * o * positions);
        if (bias != null) requireLength("bias", bias, o);
        Layout layout = new Layout(g);
        MicroKernel micro = micro();
        float[][] packedWeight = packWeight(micro, weight, o, k);
        int chunks = columnChunks(n, positions, micro.cols);
        ComputePool.parallelFor(n * chunks, task -> {
            int s = task / chunks, part = task % chunks;
            int j0 = boundary(part, chunks, positions, micro.cols), j1 = boundary(part + 1, chunks, positions, micro.cols);
            forwardTile(micro, layout, x, s, packedWeight, o, bias, relu, out, j0, j1);
        });
    }

    /**
     * gx [n, c, h, w] = the input gradient of {@link #forward} for the output gradient grad [n, o, outH, outW];
     * gx is overwritten. Only where {@link #hasInputGradient} holds.
     */
    public static void inputGradient(float[] grad, float[] weight, int n, int c, int h, int w, int kh, int kw,
                                     int strideH, int strideW, int padH, int padW, int o, float[] gx) {
        if (!hasInputGradient(kh, kw, strideH, strideW, padH, padW)) {
            throw new IllegalArgumentException("the implicit input gradient needs stride 1 and padding below the kernel, got stride ("
                    + strideH + ", " + strideW + "), padding (" + padH + ", " + padW + "), kernel (" + kh + ", " + kw + ")");
        }
        Im2Col.Geometry g = new Im2Col.Geometry(n, c, h, w, kh, kw, strideH, strideW, padH, padW);
        requireLength("weight", weight, o * g.rows());
        forward(grad, n, o, g.outH, g.outW, kh, kw, 1, 1, kh - 1 - padH, kw - 1 - padW, flipped(weight, o, c, kh, kw),
                c, null, false, gx);
    }

    /**
     * gw [o, c, kh, kw] = the weight gradient of {@link #forward} for grad [n, o, outH, outW], and, unless gb is
     * null, gb [o] = the bias gradient (each sample's channel sums taken while its gradient is in cache for the
     * weight gradient, summed in double); both are overwritten.
     */
    public static void weightGradient(float[] grad, float[] x, int n, int c, int h, int w, int kh, int kw,
                                      int strideH, int strideW, int padH, int padW, int o, float[] gw, float[] gb) {
        Im2Col.Geometry g = new Im2Col.Geometry(n, c, h, w, kh, kw, strideH, strideW, padH, padW);
        int k = g.rows(), size = o * k;
        requireLength("grad", grad, n * o * g.positions());
        requireLength("x", x, g.inputSize());
        requireLength("gw", gw, size);
        if (gb != null) requireLength("gb", gb, o);
        if (n == 0) {
            Arrays.fill(gw, 0, size, 0f);
            if (gb != null) Arrays.fill(gb, 0, o, 0f);
            return;
        }
        Layout layout = new Layout(g);
        MicroKernel micro = micro();
        int chunks = Math.ceilDiv(n, CHUNK);
        // With few taps (a first layer's 9) most of a B sliver's columns would be padding; then the product is
        // computed transposed, dW^T [K, o] = patches x G^T, where the taps are rows instead.
        boolean transposed = transposesWeightGradient(micro, k, o);
        float[] sums = chunks == 1 && !transposed ? gw : new float[chunks * size];
        double[] biasSums = gb == null ? null : new double[chunks * o];
        int positions = g.positions();
        ComputePool.parallelFor(chunks, chunk -> {
            int end = Math.min(n, (chunk + 1) * CHUNK);
            for (int s = chunk * CHUNK; s < end; s++) {
                if (biasSums != null) addChannelSums(grad, s * o * positions, o, positions, biasSums, chunk * o);
                boolean first = s == chunk * CHUNK;
                if (transposed) transposedWeightGradientOfSample(micro, layout, grad, x, s, o, first, sums, chunk * size);
                else weightGradientOfSample(micro, layout, grad, x, s, o, first, sums, chunk * size);
            }
        });
        if (transposed) sumTransposedChunks(sums, chunks, k, o, gw);
        else if (chunks > 1) sumChunks(sums, chunks, size, gw);
        if (gb != null) {
            for (int oc = 0; oc < o; oc++) {
                double total = 0;
                for (int chunk = 0; chunk < chunks; chunk++) total += biasSums[chunk * o + oc];
                gb[oc] = (float) total;
            }
        }
    }

    /** into[at + oc] += the sum of channel oc of one sample's gradient, a vector of lanes at a time. */
    private static void addChannelSums(float[] grad, int base, int o, int positions, double[] into, int at) {
        int full = positions - positions % LANES;
        for (int oc = 0; oc < o; oc++) {
            int row = base + oc * positions;
            FloatVector lanes = FloatVector.zero(SPECIES);
            for (int p = 0; p < full; p += LANES) lanes = lanes.add(FloatVector.fromArray(SPECIES, grad, row + p));
            // Lanes summed in lane order: reduceLanes(ADD) leaves a float sum's order unspecified, and C2's tree
            // differs from the interpreter's loop, so the bias gradient changed in the last bit with the compilation
            // state (ImplicitConvTest's 1- vs 3-thread comparison failed in a whole-suite run, passed alone).
            float sum = 0f;
            for (int lane = 0; lane < LANES; lane++) sum += lanes.lane(lane);
            for (int p = full; p < positions; p++) sum += grad[row + p];
            into[at + oc] += sum;
        }
    }

    /** One (sample, column block) tile of the forward pass, bias and ReLU included. */
    private static void forwardTile(MicroKernel micro, Layout layout, float[] x, int s, float[][] packedWeight, int o,
                                    float[] bias, boolean relu, float[] out, int j0, int j1) {
        Scratch scratch = Scratch.get(micro);
        Im2Col.Geometry g = layout.g;
        float[] image = layout.image(x, s, scratch);
        int base = layout.imageBase(s);
        int positions = g.positions(), k = g.rows();
        int outBase = s * o * positions;
        for (int jc = j0; jc < j1; jc += NC) {
            int nc = Math.min(NC, j1 - jc);
            for (int pc = 0, block = 0; pc < k; pc += KC, block++) {
                int kc = Math.min(KC, k - pc);
                PatchPanels.pack(image, base, layout.taps, pc, kc, layout.positions, jc, nc, micro.cols, scratch.b);
                // Later depth blocks add onto what the first one stored, exactly as VectorGemm does.
                sweep(micro, packedWeight[block], o, scratch.b, nc, kc, pc == 0 ? 0f : 1f, out, outBase + jc, positions,
                        scratch.sums);
            }
        }
        if (bias != null || relu) finishTile(bias, relu, out, outBase, o, positions, j0, j1);
    }

    /**
     * Adds the bias and applies ReLU while the tile is still in cache: the same single rounding as adding the bias
     * after the product, and the same max(v, 0) as a ReLU pass after it.
     */
    private static void finishTile(float[] bias, boolean relu, float[] out, int outBase, int o, int positions, int j0, int j1) {
        for (int r = 0; r < o; r++) {
            int row = outBase + r * positions;
            if (bias == null) {
                for (int j = j0; j < j1; j++) out[row + j] = Math.max(out[row + j], 0f);
                continue;
            }
            float b = bias[r];
            if (relu) for (int j = j0; j < j1; j++) out[row + j] = Math.max(out[row + j] + b, 0f);
            else for (int j = j0; j < j1; j++) out[row + j] += b;
        }
    }

    /** sums[at .. at + o K) (+)= G_s [o, P] x patches(x_s)^T; overwritten when first. */
    private static void weightGradientOfSample(MicroKernel micro, Layout layout, float[] grad, float[] x, int s, int o,
                                               boolean first, float[] sums, int at) {
        Scratch scratch = Scratch.get(micro);
        Im2Col.Geometry g = layout.g;
        float[] image = layout.image(x, s, scratch);
        int base = layout.imageBase(s);
        int positions = g.positions(), k = g.rows();
        int gradBase = s * o * positions;
        int mc = scratch.mc;
        for (int jc = 0; jc < k; jc += NC) {
            int nc = Math.min(NC, k - jc);
            for (int pc = 0; pc < positions; pc += KC) {
                int kc = Math.min(KC, positions - pc);
                PatchPanels.packGathered(image, base, layout.positions, pc, kc, layout.taps, jc, nc, micro.cols, scratch.b);
                float beta = first && pc == 0 ? 0f : 1f;
                for (int ic = 0; ic < o; ic += mc) {
                    int rows = Math.min(mc, o - ic);
                    VectorPacking.packA(false, grad, gradBase, positions, ic, rows, pc, kc, micro.rows, scratch.a,
                            scratch.transposeSpace);
                    sweep(micro, scratch.a, rows, scratch.b, nc, kc, beta, sums, at + ic * k + jc, k, scratch.sums);
                }
            }
        }
    }

    /** sums[at .. at + K o) (+)= patches(x_s) x G_s^T, the weight gradient transposed; overwritten when first. */
    private static void transposedWeightGradientOfSample(MicroKernel micro, Layout layout, float[] grad, float[] x, int s,
                                                         int o, boolean first, float[] sums, int at) {
        Scratch scratch = Scratch.get(micro);
        Im2Col.Geometry g = layout.g;
        float[] image = layout.image(x, s, scratch);
        int base = layout.imageBase(s);
        int positions = g.positions(), k = g.rows();
        int gradBase = s * o * positions;
        int mc = scratch.mc;
        for (int jc = 0; jc < o; jc += NC) {
            int nc = Math.min(NC, o - jc);
            for (int pc = 0; pc < positions; pc += KC) {
                int kc = Math.min(KC, positions - pc);
                // op(B)[q, oc] = G_s[oc, q]: the gradient stored n x k, as a transposed B.
                VectorPacking.packB(true, grad, gradBase, positions, pc, kc, jc, nc, micro.cols, scratch.b);
                float beta = first && pc == 0 ? 0f : 1f;
                for (int ic = 0; ic < k; ic += mc) {
                    int rows = Math.min(mc, k - ic);
                    PatchPanels.packGathered(image, base, layout.positions, pc, kc, layout.taps, ic, rows, micro.rows,
                            scratch.a);
                    sweep(micro, scratch.a, rows, scratch.b, nc, kc, beta, sums, at + ic * o + jc, o, scratch.sums);
                }
            }
        }
    }

    /** Whether the weight gradient of k taps and o outputs is computed transposed: it pads less that way. */
    static boolean transposesWeightGradient(MicroKernel micro, int k, int o) {
        return paddedProduct(micro, k, o) < paddedProduct(micro, o, k);
    }

    /** Multiply-adds the micro-kernel does for an m x n product, edges padded to whole blocks. */
    private static long paddedProduct(MicroKernel micro, int m, int n) {
        return (long) Math.ceilDiv(m, micro.rows) * micro.rows * Math.ceilDiv(n, micro.cols) * micro.cols;
    }

    /** gw [o, K] = the chunks' transposed partial sums [K, o] added in chunk order. */
    private static void sumTransposedChunks(float[] sums, int chunks, int k, int o, float[] gw) {
        int size = k * o;
        for (int oc = 0; oc < o; oc++) {
            for (int j = 0; j < k; j++) {
                float total = sums[j * o + oc];
                for (int chunk = 1; chunk < chunks; chunk++) total += sums[chunk * size + j * o + oc];
                gw[oc * k + j] = total;
            }
        }
    }

    /** Runs the micro-kernel over every block of an m x nc block of C from packed A and B (as VectorGemm's sweep). */
    private static void sweep(MicroKernel micro, float[] a, int m, float[] b, int nc, int kc, float beta,
                              float[] c, int cIdx, int ldc, float[] sums) {
        int rows = micro.rows, cols = micro.cols;
        for (int j = 0; j < nc; j += cols) {
            int validCols = Math.min(cols, nc - j);
            for (int i = 0; i < m; i += rows) {
                int validRows = Math.min(rows, m - i);
                int at = cIdx + i * ldc + j;
                Arrays.fill(sums, 0f); // the micro-kernel adds onto its sums
                micro.multiply(a, i * kc, b, j * kc, kc, sums, 0);
                if (validRows == rows && validCols == cols) {
                    micro.storeBlock(sums, 0, c, at, ldc, 1f, beta);
                } else {
                    micro.storePartialBlock(sums, 0, validRows, validCols, c, at, ldc, 1f, beta);
                }
            }
        }
    }

    /** The weight [o, K] packed as VectorGemm packs A, one array per depth block of KC. */
    private static float[][] packWeight(MicroKernel micro, float[] weight, int o, int k) {
        float[][] packed = new float[Math.ceilDiv(k, KC)][];
        float[] transposeSpace = new float[8 * KC];
        int paddedRows = Math.ceilDiv(o, micro.rows) * micro.rows;
        for (int pc = 0, block = 0; pc < k; pc += KC, block++) {
            int kc = Math.min(KC, k - pc);
            packed[block] = new float[paddedRows * kc];
            VectorPacking.packA(false, weight, 0, k, 0, o, pc, kc, micro.rows, packed[block], transposeSpace);
        }
        return packed;
    }

    /** weight [o, c, kh, kw] -> [c, o, kh, kw] with both kernel axes reversed: the kernel of the adjoint. */
    private static float[] flipped(float[] weight, int o, int c, int kh, int kw) {
        float[] out = new float[weight.length];
        for (int oc = 0; oc < o; oc++) {
            for (int ci = 0; ci < c; ci++) {
                int from = (oc * c + ci) * kh * kw, to = (ci * o + oc) * kh * kw;
                for (int t = 0; t < kh * kw; t++) out[to + kh * kw - 1 - t] = weight[from + t];
            }
        }
        return out;
    }

    /**
     * Column blocks per sample: enough that the batch gives each thread several tasks, none narrower than a
     * micro-kernel's columns, and none wider than NC.
     */
    private static int columnChunks(int n, int positions, int granule) {
        int wanted = Math.max(Math.ceilDiv(positions, NC), Math.ceilDiv(4 * ComputePool.threads(), Math.max(n, 1)));
        return Math.clamp(wanted, 1, Math.ceilDiv(positions, granule));
    }

    /** Part i of parts starts after i/parts of the granule blocks (only the last block may be ragged). */
    private static int boundary(int part, int parts, int size, int granule) {
        int blocks = Math.ceilDiv(size, granule);
        return Math.min(size, (int) ((long) blocks * part / parts) * granule);
    }

    /** gw = the chunks' partial sums added in chunk order, a slice of elements per task. */
    private static void sumChunks(float[] sums, int chunks, int size, float[] gw) {
        ComputePool.parallelRange(size, 4096, (from, to) -> {
            System.arraycopy(sums, from, gw, from, to - from);
            for (int chunk = 1; chunk < chunks; chunk++) {
                int at = chunk * size;
                for (int i = from; i < to; i++) gw[i] += sums[at + i];
            }
        });
    }

    static MicroKernel micro() {
        if (Kernel.MICRO == null) throw new IllegalStateException("the implicit convolution needs the Vector API GEMM (" + Gemm.implementation() + " is in use)");
        return Kernel.MICRO;
    }

    private static void requireLength(String name, float[] array, long needed) {
        Objects.requireNonNull(array, name);
        if (array.length < needed) {
            throw new IndexOutOfBoundsException(name + " has " + array.length + " elements, the convolution needs " + needed);
        }
    }

    /** The micro-kernel, resolved lazily so that a JVM without jdk.incubator.vector never loads it. */
    private static final class Kernel {
        static final MicroKernel MICRO = Gemm.implementation().startsWith("vector") ? MicroKernelChoice.forThisMachine() : null;
    }

    /** The sample's image as PatchPanels reads it: x itself when unpadded, else a padded copy in scratch. */
    private static final class Layout {
        final Im2Col.Geometry g;
        final int[] taps;
        final int[] positions;
        private final boolean padded;

        Layout(Im2Col.Geometry g) {
            this.g = g;
            int paddedH = g.h + 2 * g.padH, paddedW = g.w + 2 * g.padW;
            this.taps = PatchPanels.tapOffsets(g.c, g.kh, g.kw, paddedH, paddedW);
            this.positions = PatchPanels.positionOffsets(g.outH, g.outW, g.strideH, g.strideW, paddedW);
            this.padded = g.padH > 0 || g.padW > 0;
        }

        float[] image(float[] x, int s, Scratch scratch) {
            return padded ? scratch.padded(x, s * g.sampleSize(), g) : x;
        }

        int imageBase(int s) {
            return padded ? 0 : s * g.sampleSize();
        }
    }

    /** Per-thread packing space, so a tile allocates nothing once its thread has warmed up. */
    private static final class Scratch {
        private static final ThreadLocal<Scratch> LOCAL = new ThreadLocal<>();

        final int mc;
        final float[] a;
        final float[] b;
        final float[] sums;
        final float[] transposeSpace = new float[8 * KC];
        private float[] image = new float[0];
        /** The geometry whose zero border image holds (c 0: none yet). */
        private int imageC, imageH, imageW, imagePadH, imagePadW;

        private Scratch(MicroKernel micro) {
            mc = Math.ceilDiv(64, micro.rows) * micro.rows;
            a = new float[mc * KC];
            b = new float[KC * Math.ceilDiv(NC, micro.cols) * micro.cols];
            sums = new float[micro.rows * micro.cols];
        }

        static Scratch get(MicroKernel micro) {
            Scratch scratch = LOCAL.get();
            if (scratch == null || scratch.sums.length != micro.rows * micro.cols) {
                scratch = new Scratch(micro);
                LOCAL.set(scratch);
            }
            return scratch;
        }

        /** The sample at xOff zero-padded; the border is only written when the last sample here had other sizes. */
        float[] padded(float[] x, int xOff, Im2Col.Geometry g) {
            int size = g.c * (g.h + 2 * g.padH) * (g.w + 2 * g.padW);
            boolean sameBorder = g.c == imageC && g.h == imageH && g.w == imageW && g.padH == imagePadH && g.padW == imagePadW;
            if (image.length < size) {
                image = new float[size];
                sameBorder = false;
            }
            PaddedPlanes.copy(x, xOff, g.c, g.h, g.w, g.padH, g.padW, image, sameBorder);
            imageC = g.c;
            imageH = g.h;
            imageW = g.w;
            imagePadH = g.padH;
            imagePadW = g.padW;
            return image;
        }
    }
}
