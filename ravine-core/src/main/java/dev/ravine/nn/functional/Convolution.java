package dev.ravine.nn.functional;

import dev.ravine.autograd.Autograd;
import dev.ravine.autograd.GradMode;
import dev.ravine.kernel.ComputePool;
import dev.ravine.kernel.Gemm;
import dev.ravine.kernel.Im2Col;
import dev.ravine.kernel.ImplicitConv;
import dev.ravine.kernel.ReluKernel;
import dev.ravine.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * The fast path of conv2d. On the Vector API GEMM it is an implicit GEMM ({@link ImplicitConv}): the product's panels
 * are gathered straight from the image, bias added in the same pass, and the backward needs neither im2col nor
 * col2im (except the input gradient of a strided convolution). Elsewhere, or with {@code -Dravine.conv=im2col} (for
 * A/B measurements), it is im2col into a reused buffer a few samples at a time, then one batched GEMM per group, so
 * the [n, c*kh*kw, outH*outW] patch matrix of the whole batch is never materialized. The backward recomputes the
 * patches instead of keeping them. When the backward itself is recorded (for
 * Hessian-vector products) it differentiates {@link Functional#conv2dReference}, the composite of im2col and
 * matmul, so gradients of gradients stay exact; tests check both paths agree.
 */
final class Convolution {
    /** Samples per im2col group: big enough for an efficient batched GEMM, small enough to stay in cache. */
    private static final int GROUP = 8;
    /** Whether the implicit GEMM is used: the Vector API GEMM is in use and ravine.conv does not ask for im2col. */
    private static final boolean IMPLICIT = ImplicitConv.available() && !"im2col".equals(System.getProperty("ravine.conv", ""));

    private Convolution() {}

    static Tensor forward(Tensor x, Tensor weight, Tensor bias, Conv2dGeometry g) {
        return forward(x, weight, bias, g, false);
    }

    /**
     * With relu, one op for ReLU(conv): ReLU is applied in the convolution's output pass, and the backward masks the
     * incoming gradient where the output is positive (where the convolution was: max(v, 0) > 0 exactly when v > 0,
     * NaN neither) before the convolution's backward, so outputs and gradients have the bits of the two ops.
     */
    static Tensor forward(Tensor x, Tensor weight, Tensor bias, Conv2dGeometry g, boolean relu) {
        int o = weight.size(0), positions = g.outH() * g.outW();
        float[] xv = x.values(), wv = weight.values();
        float[] out = new float[g.n() * o * positions];
        if (IMPLICIT) {
            ImplicitConv.forward(xv, g.n(), g.c(), g.h(), g.w(), g.kh(), g.kw(), g.strideH(), g.strideW(), g.padH(), g.padW(),
                    wv, o, bias == null ? null : bias.values(), relu, out);
        } else {
            im2colForward(g, xv, wv, o, out);
            if (bias != null) addBias(out, bias.values(), g.n(), o, positions);
            if (relu) ComputePool.parallelRange(out.length, 1 << 14, (from, to) -> ReluKernel.forward(out, out, from, to));
        }
        int[] shape = {g.n(), o, g.outH(), g.outW()};
        Tensor[] inputs = bias == null ? new Tensor[] {x, weight} : new Tensor[] {x, weight, bias};
        if (!relu) return Tensor.fromOp(out, shape, "conv2d", inputs, grad -> backward(grad, x, weight, bias, g, false));
        return Tensor.fromOp(out, shape, "conv2d_relu", inputs, grad -> {
            if (GradMode.isEnabled()) return backward(grad, x, weight, bias, g, true);
            return backward(positivePart(grad, out), x, weight, bias, g, false);
        });
    }

    /** grad where the fused op's output is positive, else 0: ReLU's backward, read from the output. */
    private static Tensor positivePart(Tensor grad, float[] output) {
        float[] gv = grad.values();
        float[] masked = new float[gv.length];
        ComputePool.parallelRange(gv.length, 1 << 14, (from, to) -> ReluKernel.backward(gv, output, masked, from, to));
        return Tensor.of(masked, grad.shape());
    }

    private static void im2colForward(Conv2dGeometry g, float[] xv, float[] wv, int o, float[] out) {
        int ckk = g.c() * g.kh() * g.kw(), positions = g.outH() * g.outW();
        float[] cols = new float[Math.min(GROUP, g.n()) * ckk * positions];
        int sampleIn = g.c() * g.h() * g.w();
        for (int n0 = 0; n0 < g.n(); n0 += GROUP) {
            int count = Math.min(GROUP, g.n() - n0);
            im2col(g, xv, n0 * sampleIn, count, cols);
            Gemm.gemmBatched(count, false, false, o, positions, ckk, 1f, wv, 0, ckk, 0, cols, 0, positions, ckk * positions,
                    0f, out, n0 * o * positions, positions, o * positions);
        }
    }

    /** relu: the recorded backward of ReLU(conv) (only with GradMode on; the plain one gets a masked gradient). */
    private static Tensor[] backward(Tensor grad, Tensor x, Tensor weight, Tensor bias, Conv2dGeometry g, boolean relu) {
        if (GradMode.isEnabled()) return differentiableBackward(grad, x, weight, bias, g, relu);
        int o = weight.size(0), positions = g.outH() * g.outW();
        float[] gv = grad.values(), xv = x.values(), wv = weight.values();
        float[] gx = x.requiresGrad() ? new float[x.numel()] : null;
        float[] gw = weight.requiresGrad() ? new float[weight.numel()] : null;
        boolean implicitGx = IMPLICIT && gx != null
                && ImplicitConv.hasInputGradient(g.kh(), g.kw(), g.strideH(), g.strideW(), g.padH(), g.padW());
        boolean implicitGw = IMPLICIT && gw != null;
        float[] gb = bias != null && bias.requiresGrad() ? new float[o] : null;
        if (implicitGw) {
            // The bias gradient comes with the weight gradient, from each sample's output gradient while it is in cache.
            ImplicitConv.weightGradient(gv, xv, g.n(), g.c(), g.h(), g.w(), g.kh(), g.kw(), g.strideH(), g.strideW(),
                    g.padH(), g.padW(), o, gw, gb);
        } else if (gb != null) {
            gb = biasGrad(gv, g.n(), o, positions);
        }
        if (implicitGx) {
            ImplicitConv.inputGradient(gv, wv, g.n(), g.c(), g.h(), g.w(), g.kh(), g.kw(), g.strideH(), g.strideW(),
                    g.padH(), g.padW(), o, gx);
        }
        im2colBackward(g, gv, xv, wv, o, implicitGx ? null : gx, implicitGw ? null : gw);
        Tensor[] grads = new Tensor[bias == null ? 2 : 3];
        grads[0] = gx == null ? null : Tensor.of(gx, x.shape());
        grads[1] = gw == null ? null : Tensor.of(gw, weight.shape());
        if (gb != null) grads[2] = Tensor.of(gb, bias.shape());
        return grads;
    }

    /** The im2col backward for whichever of gx and gw is not null. */
    private static void im2colBackward(Conv2dGeometry g, float[] gv, float[] xv, float[] wv, int o, float[] gx, float[] gw) {
        if (gx == null && gw == null) return;
        int ckk = g.c() * g.kh() * g.kw(), positions = g.outH() * g.outW();
        int sampleIn = g.c() * g.h() * g.w();
        float[] cols = new float[Math.min(GROUP, g.n()) * ckk * positions];
        for (int n0 = 0; n0 < g.n(); n0 += GROUP) {
            int count = Math.min(GROUP, g.n() - n0);
            if (gw != null) {
                im2col(g, xv, n0 * sampleIn, count, cols);
                for (int s = 0; s < count; s++) {
                    // dW += g_n [o, positions] @ cols_n^T [positions, ckk]; samples in order, so the sum is deterministic
                    Gemm.gemm(false, true, o, ckk, positions, 1f, gv, (n0 + s) * o * positions, positions,
                            cols, s * ckk * positions, positions, 1f, gw, 0, ckk);
                }
            }
            if (gx != null) {
                // dcols_n = W^T [ckk, o] @ g_n [o, positions], then fold the patches back onto the image
                Gemm.gemmBatched(count, true, false, ckk, positions, o, 1f, wv, 0, ckk, 0, gv, n0 * o * positions, positions,
                        o * positions, 0f, cols, 0, positions, ckk * positions);
                Im2Col.col2im(cols, 0, count, g.c(), g.h(), g.w(), g.kh(), g.kw(), g.strideH(), g.strideW(), g.padH(), g.padW(),
                        gx, n0 * sampleIn);
            }
        }
    }

    /** Recorded backward: differentiate the composite form with createGraph, so the result has a graph of its own. */
    private static Tensor[] differentiableBackward(Tensor grad, Tensor x, Tensor weight, Tensor bias, Conv2dGeometry g,
                                                   boolean relu) {
        Tensor y = Functional.conv2dReference(x, weight, bias, g.strideH(), g.strideW(), g.padH(), g.padW());
        if (relu) y = y.relu();
        Tensor[] inputs = bias == null ? new Tensor[] {x, weight} : new Tensor[] {x, weight, bias};
        List<Tensor> wanted = new ArrayList<>();
        for (Tensor t : inputs) if (t.requiresGrad()) wanted.add(t);
        List<Tensor> grads = Autograd.grad(y, wanted, grad, true);
        Tensor[] out = new Tensor[inputs.length];
        int k = 0;
        for (int i = 0; i < inputs.length; i++) if (inputs[i].requiresGrad()) out[i] = grads.get(k++);
        return out;
    }

    private static void im2col(Conv2dGeometry g, float[] x, int offset, int count, float[] cols) {
        Im2Col.im2col(x, offset, count, g.c(), g.h(), g.w(), g.kh(), g.kw(), g.strideH(), g.strideW(), g.padH(), g.padW(), cols, 0);
    }

    private static void addBias(float[] out, float[] bias, int n, int o, int positions) {
        for (int s = 0; s < n; s++) {
            for (int c = 0; c < o; c++) {
                float b = bias[c];
                int base = (s * o + c) * positions;
                for (int p = 0; p < positions; p++) out[base + p] += b;
            }
        }
    }

    /**
     * The bias gradient, one task per channel: each channel's total is summed over the samples in order, exactly as
     * one pass over the samples would, so the bits do not depend on the thread count.
     */
    private static float[] biasGrad(float[] g, int n, int o, int positions) {
        float[] out = new float[o];
        ComputePool.parallelFor(o, c -> out[c] = channelSum(g, n, o, c, positions));
        return out;
    }

    private static float channelSum(float[] g, int n, int o, int c, int positions) {
        double acc = 0;
        for (int s = 0; s < n; s++) {
            int base = (s * o + c) * positions;
            // Four independent float partial sums: the loop is latency-bound otherwise; the channel total is double.
            float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
            int p = 0;
            for (; p + 3 < positions; p += 4) {
                s0 += g[base + p];
                s1 += g[base + p + 1];
                s2 += g[base + p + 2];
                s3 += g[base + p + 3];
            }
            for (; p < positions; p++) s0 += g[base + p];
            acc += (double) (s0 + s1) + (double) (s2 + s3);
        }
        return (float) acc;
    }
}
