package dev.ravine.onnx;

import static dev.ravine.onnx.OnnxGraph.integer;
import static dev.ravine.onnx.OnnxGraph.ints;
import static dev.ravine.onnx.OnnxGraph.real;

import dev.ravine.nn.Activation;
import dev.ravine.nn.AvgPool2d;
import dev.ravine.nn.BatchNorm;
import dev.ravine.nn.BatchRenorm;
import dev.ravine.nn.Conv2d;
import dev.ravine.nn.Dropout;
import dev.ravine.nn.Embedding;
import dev.ravine.nn.Flatten;
import dev.ravine.nn.GroupNorm;
import dev.ravine.nn.InstanceNorm;
import dev.ravine.nn.LayerNorm;
import dev.ravine.nn.Linear;
import dev.ravine.nn.MaxPool2d;
import dev.ravine.nn.Module;
import dev.ravine.nn.MultiheadAttention;
import dev.ravine.nn.Recurrent;
import dev.ravine.nn.Residual;
import dev.ravine.nn.Sequential;
import dev.ravine.nn.TransformerEncoderBlock;
import dev.ravine.tensor.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Translates Ravine modules (in eval mode: dropout is the identity, normalizations use their running statistics)
 * into ONNX nodes, one module at a time. Each translation gets the name of its input value and the input's shape
 * without the batch axis, and returns the name of its output value. Weights are the layers' effective ones, so
 * weight-normalized and spectrally normalized layers export as plain ones.
 */
final class OnnxLayers {
    private final OnnxGraph g;

    OnnxLayers(OnnxGraph graph) {
        this.g = graph;
    }

    String translate(Module m, String path, String x, int[] shape) {
        requireExportedOptions(m, path);
        return switch (m) {
            case Sequential s -> sequential(s, path, x, shape);
            case Linear l -> linear(l, path, x, shape);
            case Conv2d c -> conv(c, path, x);
            case MaxPool2d p -> g.node("MaxPool", path, List.of(x), ints("kernel_shape", p.kernel(), p.kernel()),
                    ints("strides", p.stride(), p.stride()), ints("pads", p.padding(), p.padding(), p.padding(), p.padding()));
            // Ravine's average pool counts padded zeros in the divisor, as torch's default count_include_pad=True.
            case AvgPool2d p -> g.node("AveragePool", path, List.of(x), ints("kernel_shape", p.kernel(), p.kernel()),
                    ints("strides", p.stride(), p.stride()), ints("pads", p.padding(), p.padding(), p.padding(), p.padding()),
                    integer("count_include_pad", 1));
            case BatchNorm b -> g.node("BatchNormalization", path, List.of(x, param(b, path, "weight"), param(b, path, "bias"),
                    buffer(b, path, "running_mean"), buffer(b, path, "running_var")), real("epsilon", b.eps()));
            case BatchRenorm b -> batchRenorm(b, path, x, shape);
            case LayerNorm n -> layerNorm(n, path, x);
            case GroupNorm n -> groupNorm(n, path, x, shape);
            case InstanceNorm n -> instanceNorm(n, path, x, shape);
            case Activation a -> activation(a, path, x);
            case Dropout d -> g.node("Identity", path, List.of(x));
            case Flatten f -> shape.length <= 1 ? g.node("Identity", path, List.of(x)) : g.node("Flatten", path, List.of(x), integer("axis", 1));
            case Residual r -> residual(r, path, x, shape);
            case Recurrent r -> new OnnxRecurrent(g).translate(r, path, x);
            case Embedding e -> new OnnxAttention(g, this).embedding(e, path, x);
            case MultiheadAttention a -> new OnnxAttention(g, this).attention(a, path, x, shape);
            case TransformerEncoderBlock t -> new OnnxAttention(g, this).transformer(t, path, x, shape);
            default -> throw new OnnxExportException("layer " + path + " (" + m.kind() + ") has no ONNX export yet; the layers that "
                    + "export are linear, conv2d, pooling, the normalizations, activations, dropout, flatten, residual, rnn, lstm, gru, "
                    + "embedding, attention, transformer");
        };
    }

    /** The layer options this exporter does not translate yet, refused by name rather than exported wrong. */
    private static void requireExportedOptions(Module m, String path) {
        boolean normalization = m instanceof BatchNorm || m instanceof LayerNorm || m instanceof GroupNorm;
        String missing = normalization && !m.namedParameters().containsKey("weight") ? "affine: false"
                : m instanceof BatchNorm && !m.namedBuffers().containsKey("running_mean") ? "track_running_stats: false"
                : m instanceof MaxPool2d p && p.ceilMode() ? "ceil_mode"
                : m instanceof AvgPool2d p && (p.ceilMode() || !p.countIncludePad()) ? "ceil_mode or count_include_pad: false"
                : null;
        if (missing != null) {
            throw new OnnxExportException("layer " + path + " (" + m.kind() + ") with " + missing + " has no ONNX export yet");
        }
    }

    private String sequential(Sequential s, String path, String x, int[] shape) {
        String value = x;
        int[] current = shape;
        List<Module> layers = s.layers();
        for (int i = 0; i < layers.size(); i++) {
            Module layer = layers.get(i);
            value = translate(layer, path.isEmpty() ? Integer.toString(i) : path + "." + i, value, current);
            current = layer.outputShape(current);
        }
        return value;
    }

    /** Gemm on [batch, in]; MatMul and Add on more axes (e.g. a sequence's every step), which Gemm does not take. */
    private String linear(Linear l, String path, String x, int[] shape) {
        Tensor w = l.effectiveWeight().detach();
        int out = w.size(0), in = w.size(1);
        Tensor b = l.bias();
        if (shape.length == 1) {
            String weight = g.floats(path + ".weight", w.toArray(), out, in);
            List<String> inputs = b == null ? List.of(x, weight) : List.of(x, weight, g.floats(path + ".bias", b.toArray(), out));
            return g.node("Gemm", path, inputs, integer("transB", 1));
        }
        String weightT = g.floats(path + ".weight_t", w.transpose(0, 1).contiguous().toArray(), in, out);
        String y = g.node("MatMul", path, List.of(x, weightT));
        return b == null ? y : g.node("Add", path, List.of(y, g.floats(path + ".bias", b.toArray(), out)));
    }

    private String conv(Conv2d c, String path, String x) {
        Tensor w = c.effectiveWeight().detach();
        String weight = g.floats(path + ".weight", w.toArray(), longs(w.shape()));
        Tensor b = c.namedParameters().get("bias");
        List<String> inputs = b == null ? List.of(x, weight) : List.of(x, weight, g.floats(path + ".bias", b.toArray(), b.numel()));
        int k = c.kernel(), s = c.stride(), p = c.padding(), extra = c.extraPadding();
        Conv2d.Options o = c.options();
        // pads are [top, left, bottom, right]: padding: same puts its odd pixel at the bottom and right, as torch
        return g.node("Conv", path, inputs, ints("kernel_shape", k, k), ints("strides", s, s), ints("pads", p, p, p + extra, p + extra),
                ints("dilations", o.dilation(), o.dilation()), integer("group", o.groups()));
    }

    /** Eval mode: (x - running_mean) / running_std * gamma + beta, per channel (axis 1). */
    private String batchRenorm(BatchRenorm b, String path, String x, int[] shape) {
        long[] channel = channelShape(shape);
        String centred = g.node("Sub", path, List.of(x, g.floats(path + ".running_mean", b.runningMean().toArray(), channel)));
        String scaled = g.node("Div", path, List.of(centred, g.floats(path + ".running_std", b.runningStd().toArray(), channel)));
        return scaleAndShift(b, path, scaled, channel);
    }

    private String layerNorm(LayerNorm n, String path, String x) {
        int[] normalized = n.normalizedShape();
        long[] dims = longs(normalized);
        return g.node("LayerNormalization", path, List.of(x, g.floats(path + ".weight", n.namedParameters().get("weight").toArray(), dims),
                g.floats(path + ".bias", n.namedParameters().get("bias").toArray(), dims)), integer("axis", -normalized.length),
                real("epsilon", n.eps()));
    }

    /**
     * Opset 17 has no GroupNormalization: the channels are reshaped to [batch, groups, rest], normalized per group with
     * InstanceNormalization (unit scale, zero shift), reshaped back and scaled and shifted per channel.
     */
    private String groupNorm(GroupNorm n, String path, String x, int[] shape) {
        int groups = n.groups();
        String grouped = g.node("Reshape", path, List.of(x, g.longs(path + ".grouped_shape", 0, groups, -1)));
        String normalized = g.node("InstanceNormalization", path, List.of(grouped, filled(path + ".unit", 1f, groups),
                filled(path + ".zero", 0f, groups)), real("epsilon", n.eps()));
        long[] back = new long[shape.length + 1];
        back[0] = 0;
        for (int i = 0; i < shape.length; i++) back[i + 1] = shape[i];
        String restored = g.node("Reshape", path, List.of(normalized, g.longs(path + ".shape", back)));
        return scaleAndShift(n, path, restored, channelShape(shape));
    }

    private String instanceNorm(InstanceNorm n, String path, String x, int[] shape) {
        boolean affine = n.namedParameters().containsKey("weight");
        String scale = affine ? param(n, path, "weight") : filled(path + ".unit", 1f, shape[0]);
        String shift = affine ? param(n, path, "bias") : filled(path + ".zero", 0f, shape[0]);
        if (n.tracksRunningStats()) {
            // In eval mode the running statistics replace each instance's own, which is BatchNormalization's formula.
            return g.node("BatchNormalization", path, List.of(x, scale, shift, buffer(n, path, "running_mean"), buffer(n, path, "running_var")),
                    real("epsilon", n.eps()));
        }
        return g.node("InstanceNormalization", path, List.of(x, scale, shift), real("epsilon", n.eps()));
    }

    /** A constant vector of {@code n} copies of {@code value}. */
    private String filled(String stem, float value, int n) {
        float[] v = new float[n];
        Arrays.fill(v, value);
        return g.floats(stem, v, n);
    }

    /** y * weight + bias with the module's per-channel parameters broadcast over axis 1. */
    private String scaleAndShift(Module m, String path, String y, long[] channel) {
        String scaled = g.node("Mul", path, List.of(y, g.floats(path + ".weight", m.namedParameters().get("weight").toArray(), channel)));
        return g.node("Add", path, List.of(scaled, g.floats(path + ".bias", m.namedParameters().get("bias").toArray(), channel)));
    }

    private String activation(Activation a, String path, String x) {
        return switch (a.activation()) {
            case RELU -> g.node("Relu", path, List.of(x));
            case LEAKY_RELU -> g.node("LeakyRelu", path, List.of(x), real("alpha", a.parameter()));
            case ELU -> g.node("Elu", path, List.of(x), real("alpha", a.parameter()));
            case SIGMOID -> g.node("Sigmoid", path, List.of(x));
            case TANH -> g.node("Tanh", path, List.of(x));
            case SOFTPLUS -> g.node("Softplus", path, List.of(x));
            case SOFTMAX -> g.node("Softmax", path, List.of(x), integer("axis", -1));
            case GELU -> gelu(path, x);
        };
    }

    /** Exact GELU, x * Phi(x) = x * (1 + erf(x / sqrt 2)) / 2 (opset 17 has Erf; Gelu itself came in opset 20). */
    String gelu(String path, String x) {
        String scaled = g.node("Div", path, List.of(x, g.floats(path + ".sqrt2", new float[] {(float) Math.sqrt(2)})));
        String erf = g.node("Erf", path, List.of(scaled));
        String onePlus = g.node("Add", path, List.of(erf, g.floats(path + ".one", new float[] {1f})));
        String half = g.node("Mul", path, List.of(x, g.floats(path + ".half", new float[] {0.5f})));
        return g.node("Mul", path, List.of(half, onePlus));
    }

    /** block(x) + shortcut(x): the identity, or the learned projection. */
    private String residual(Residual r, String path, String x, int[] shape) {
        Map<String, Module> children = r.children();
        String block = translate(children.get("block"), path + ".block", x, shape);
        Module projection = children.get("projection");
        String shortcut = projection == null ? x : translate(projection, path + ".projection", x, shape);
        return g.node("Add", path, List.of(block, shortcut));
    }

    private String param(Module m, String path, String name) {
        Tensor t = m.namedParameters().get(name);
        return g.floats(path + "." + name, t.toArray(), longs(t.shape()));
    }

    private String buffer(Module m, String path, String name) {
        Tensor t = m.namedBuffers().get(name);
        return g.floats(path + "." + name, t.toArray(), longs(t.shape()));
    }

    /** [channels, 1, ...]: a per-channel constant that broadcasts over a sample of {@code shape} (batch axis first). */
    private static long[] channelShape(int[] shape) {
        long[] s = new long[shape.length];
        Arrays.fill(s, 1);
        s[0] = shape[0];
        return s;
    }

    static long[] longs(int[] shape) {
        long[] out = new long[shape.length];
        for (int i = 0; i < shape.length; i++) out[i] = shape[i];
        return out;
    }
}
