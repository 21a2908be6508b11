package dev.ravine.nn.functional;

import dev.ravine.autograd.GradMode;
import dev.ravine.kernel.MaxPool2dKernel;
import dev.ravine.kernel.SoftmaxKernel;
import dev.ravine.tensor.GatherMap;
import dev.ravine.tensor.LinearOps;
import dev.ravine.tensor.Shape;
import dev.ravine.tensor.Tensor;
import dev.ravine.tensor.TensorShapeException;

/**
 * The differentiable functions layers are made of (PyTorch's torch.nn.functional): convolution, pooling, softmax.
 * Each is either a composition of tensor operations or a primitive whose backward is written in tensor operations.
 */
public final class Functional {
    private Functional() {}

    /** x [n, c, h, w], weight [o, c, kh, kw], bias [o] or null -> [n, o, outH, outW]. */
    public static Tensor conv2d(Tensor x, Tensor weight, Tensor bias, int strideH, int strideW, int padH, int padW) {
        Conv2dGeometry g = convGeometry(x, weight, strideH, strideW, padH, padW);
        return Convolution.forward(x.contiguous(), weight.contiguous(), bias, g);
    }

    /**
     * ReLU(conv2d(...)) as one op: ReLU applied in the convolution's output pass and its mask in the backward, with
     * the bits of {@code conv2d(...).relu()}. {@code Sequential} uses it for a conv2d layer followed by a ReLU.
     */
    public static Tensor conv2dRelu(Tensor x, Tensor weight, Tensor bias, int strideH, int strideW, int padH, int padW) {
        Conv2dGeometry g = convGeometry(x, weight, strideH, strideW, padH, padW);
        return Convolution.forward(x.contiguous(), weight.contiguous(), bias, g, true);
    }

    /**
     * The same convolution as a composite of im2col (a linear map) and a batched matmul: slower and hungrier for
     * memory, but every piece is differentiable to any order. The fast path uses it for recorded backward passes.
     */
    public static Tensor conv2dReference(Tensor x, Tensor weight, Tensor bias, int strideH, int strideW, int padH, int padW) {
        Conv2dGeometry g = convGeometry(x, weight, strideH, strideW, padH, padW);
        int o = weight.size(0);
        Tensor cols = x.contiguous().apply(new Im2ColMap(g)); // [n, c*kh*kw, outH*outW]
        Tensor out = weight.reshape(o, -1).matmul(cols).reshape(g.n(), o, g.outH(), g.outW());
        if (bias != null) out = out.add(bias.reshape(1, o, 1, 1));
        return out;
    }

    private static Conv2dGeometry convGeometry(Tensor x, Tensor weight, int strideH, int strideW, int padH, int padW) {
        requireRank(x, 4, "conv2d input", "[batch, channels, height, width]");
        int[] ws = weight.shape();
        if (ws.length != 4 || ws[1] != x.size(1)) {
            throw new TensorShapeException("conv2d expects an input with " + (ws.length == 4 ? ws[1] : -1) + " channels, got " + x.size(1)
                    + " (input shape " + Shape.str(x.shape()) + ")");
        }
        return new Conv2dGeometry(x.size(0), x.size(1), x.size(2), x.size(3), ws[2], ws[3], strideH, strideW, padH, padW);
    }

    /**
     * conv2d with torch's dilation and groups: weight [o, c / groups, kh, kw]; the input's channels and the outputs are
     * split into {@code groups} blocks convolved separately (groups = c is a depthwise convolution); a dilated kernel is
     * spread out with zeros ({@link KernelDilationMap}). {@code extraBottomRight} pads one more row and column at the end
     * (an even kernel's padding: same). Plain settings take the fast path unchanged.
     */
    public static Tensor conv2d(Tensor x, Tensor weight, Tensor bias, int stride, int padding, int dilation, int groups, int extraBottomRight) {
        requireRank(x, 4, "conv2d input", "[batch, channels, height, width]");
        if (x.size(1) % groups != 0 || weight.size(0) % groups != 0 || weight.size(1) * groups != x.size(1)) {
            throw new TensorShapeException("conv2d with " + groups + " groups expects an input whose " + x.size(1) + " channels are "
                    + groups + " x " + weight.size(1) + ", got input shape " + Shape.str(x.shape()));
        }
        Tensor in = extraBottomRight == 0 ? x
                : x.contiguous().apply(new ZeroPadMap(x.size(0), x.size(1), x.size(2), x.size(3), extraBottomRight, extraBottomRight));
        Tensor kernel = dilation == 1 ? weight
                : weight.contiguous().apply(new KernelDilationMap(weight.size(0), weight.size(1), weight.size(2), weight.size(3), dilation));
        if (groups == 1) return conv2d(in, kernel, bias, stride, stride, padding, padding);
        int cin = weight.size(1), cout = weight.size(0) / groups;
        Tensor[] parts = new Tensor[groups];
        for (int g = 0; g < groups; g++) {
            Tensor b = bias == null ? null : bias.slice(0, g * cout, (g + 1) * cout);
            parts[g] = conv2d(in.slice(1, g * cin, (g + 1) * cin), kernel.slice(0, g * cout, (g + 1) * cout), b, stride, stride, padding, padding);
        }
        return Tensor.concat(1, parts);
    }

    /** torch's pooling output size along one axis (floor or ceil mode). */
    public static int poolOutSize(int in, int kernel, int stride, int padding, boolean ceilMode) {
        return PoolWindows.outSize(in, kernel, stride, padding, ceilMode);
    }

    /** Square max pooling with torch's ceil_mode (a last partial window kept); floor mode takes the kernel's fast path. */
    public static Tensor maxPool2d(Tensor x, int kernel, int stride, int padding, boolean ceilMode) {
        if (!ceilMode) return maxPool2d(x, kernel, kernel, stride, stride, padding, padding);
        requireRank(x, 4, "max_pool2d input", "[batch, channels, height, width]");
        Tensor dense = x.contiguous();
        PoolWindows windows = new PoolWindows(x.size(0), x.size(1), x.size(2), x.size(3), kernel, stride, padding, true, true);
        return dense.apply(new GatherMap(windows.inShape(), windows.maxIndices(dense.values()), windows.outShape()));
    }

    /** Square average pooling with torch's ceil_mode and count_include_pad; the defaults take the kernel's fast path. */
    public static Tensor avgPool2d(Tensor x, int kernel, int stride, int padding, boolean ceilMode, boolean countIncludePad) {
        if (!ceilMode && countIncludePad) return avgPool2d(x, kernel, kernel, stride, stride, padding, padding);
        requireRank(x, 4, "avg_pool2d input", "[batch, channels, height, width]");
        return x.contiguous().apply(new PoolWindows(x.size(0), x.size(1), x.size(2), x.size(3), kernel, stride, padding, ceilMode,
                countIncludePad));
    }

    public static Tensor maxPool2d(Tensor x, int kh, int kw, int strideH, int strideW, int padH, int padW) {
        requireRank(x, 4, "max_pool2d input", "[batch, channels, height, width]");
        Conv2dGeometry g = new Conv2dGeometry(x.size(0), x.size(1), x.size(2), x.size(3), kh, kw, strideH, strideW, padH, padW);
        int[] outShape = {g.n(), g.c(), g.outH(), g.outW()};
        int count = Shape.numel(outShape);
        float[] values = new float[count];
        int[] indices = new int[count];
        Tensor dense = x.contiguous();
        MaxPool2dKernel.forward(dense.values(), 0, g.n(), g.c(), g.h(), g.w(), kh, kw, strideH, strideW, padH, padW, values, 0, indices, 0);
        // The kernel's values are the gather's output already. The backward scatters per sample in parallel; recorded
        // (for gradients of gradients) it goes through the gather's adjoint, itself differentiable.
        return Tensor.fromOp(values, outShape, "max_pool2d", new Tensor[] {dense}, grad -> {
            if (GradMode.isEnabled()) return new Tensor[] {LinearOps.apply(grad, new GatherMap(g.inShape(), indices, outShape), true)};
            float[] gradIn = new float[dense.numel()];
            MaxPool2dKernel.backward(grad.values(), indices, g.n(), g.c() * g.outH() * g.outW(), g.c() * g.h() * g.w(), gradIn);
            return new Tensor[] {Tensor.of(gradIn, g.inShape())};
        });
    }

    public static Tensor avgPool2d(Tensor x, int kh, int kw, int strideH, int strideW, int padH, int padW) {
        requireRank(x, 4, "avg_pool2d input", "[batch, channels, height, width]");
        Conv2dGeometry g = new Conv2dGeometry(x.size(0), x.size(1), x.size(2), x.size(3), kh, kw, strideH, strideW, padH, padW);
        return x.contiguous().apply(new AvgPool2dMap(g));
    }

    /** log softmax over the last axis, computed in one stable pass; backward g - softmax * sum(g). */
    public static Tensor logSoftmax(Tensor x) {
        int cols = x.size(-1), rows = x.numel() / Math.max(cols, 1);
        float[] out = new float[x.numel()];
        SoftmaxKernel.logSoftmax(x.values(), 0, rows, cols, out, 0);
        Tensor[] self = new Tensor[1];
        self[0] = Tensor.fromOp(out, x.shape(), "log_softmax", new Tensor[] {x},
                g -> new Tensor[] {g.sub(self[0].exp().mul(g.sum(-1, true)))});
        return self[0];
    }

    public static Tensor softmax(Tensor x) {
        return logSoftmax(x).exp();
    }

    /** x[i, targets[i]] for each row of a [n, c] tensor; backward scatters into the picked positions. */
    public static Tensor pickPerRow(Tensor x, int[] targets) {
        requireRank(x, 2, "pick input", "[batch, classes]");
        int n = x.size(0), c = x.size(1);
        if (targets.length != n) throw new TensorShapeException("got " + targets.length + " targets for a batch of " + n);
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            if (targets[i] < 0 || targets[i] >= c) {
                throw new IllegalArgumentException("target " + targets[i] + " at row " + i + " is not a class index in [0, " + c + ")");
            }
            idx[i] = i * c + targets[i];
        }
        return x.contiguous().apply(new GatherMap(new int[] {n, c}, idx, new int[] {n}));
    }

    /**
     * Embedding lookup: tokens (floats holding whole numbers, any shape) into rows of {@code weight} [rows, dim], giving
     * [...tokens.shape, dim]. Positions holding {@code paddingIdx} (-1: none) read that row as a constant, so it gets no
     * gradient (torch's padding_idx). A token that is not a whole number in [0, rows) is refused with its position.
     */
    public static Tensor embedding(Tensor tokens, Tensor weight, int paddingIdx) {
        requireRank(weight, 2, "embedding weight", "[num_embeddings, dim]");
        int rows = weight.size(0), dim = weight.size(1);
        float[] t = tokens.values();
        int[] index = new int[t.length];
        boolean padded = false;
        for (int p = 0; p < t.length; p++) {
            float v = t[p];
            if (!(v >= 0 && v < rows) || v != Math.rint(v)) {
                throw new IllegalArgumentException("embedding input " + v + " at position " + p + " of " + Shape.str(tokens.shape())
                        + " is not a token index in [0, " + rows + "); the input must hold whole-number token ids (data.normalize: none)");
            }
            index[p] = (int) v == paddingIdx ? -1 : (int) v;
            padded |= index[p] < 0;
        }
        int[] outShape = java.util.Arrays.copyOf(tokens.shape(), tokens.dim() + 1);
        outShape[tokens.dim()] = dim;
        Tensor looked = weight.contiguous().apply(new EmbeddingMap(rows, dim, index, outShape));
        if (!padded) return looked;
        // the padding positions hold the padding row's current values, outside the graph
        float[] constant = new float[looked.numel()];
        float[] w = weight.values();
        for (int p = 0; p < index.length; p++) {
            if (index[p] < 0) System.arraycopy(w, paddingIdx * dim, constant, p * dim, dim);
        }
        return looked.add(Tensor.of(constant, outShape));
    }

    static void requireRank(Tensor x, int rank, String what, String layout) {
        if (x.dim() != rank) {
            throw new TensorShapeException(what + " must have " + rank + " axes " + layout + ", got shape " + Shape.str(x.shape()));
        }
    }
}
