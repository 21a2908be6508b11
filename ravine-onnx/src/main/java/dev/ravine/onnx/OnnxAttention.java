package dev.ravine.onnx;

import static dev.ravine.onnx.OnnxGraph.integer;
import static dev.ravine.onnx.OnnxGraph.ints;

import dev.ravine.nn.Embedding;
import dev.ravine.nn.MultiheadAttention;
import dev.ravine.nn.TransformerEncoderBlock;
import dev.ravine.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * Embedding, multi-head self-attention and the pre-norm transformer block in ONNX's opset 17, which has no attention
 * operator: the heads are built from MatMul, Reshape, Transpose and Softmax exactly as {@link MultiheadAttention}
 * computes them. Ravine's token ids are floats (every input is), so the embedding casts them to int64 for Gather.
 */
final class OnnxAttention {
    private final OnnxGraph g;
    private final OnnxLayers layers;

    OnnxAttention(OnnxGraph graph, OnnxLayers layers) {
        this.g = graph;
        this.layers = layers;
    }

    String embedding(Embedding e, String path, String x) {
        Tensor w = e.weight();
        String ids = g.node("Cast", path, List.of(x), integer("to", onnx.Onnx.TensorProto.DataType.INT64_VALUE));
        return g.node("Gather", path, List.of(g.floats(path + ".weight", w.toArray(), w.size(0), w.size(1)), ids), integer("axis", 0));
    }

    /** @param shape [seq, dim] */
    String attention(MultiheadAttention a, String path, String x, int[] shape) {
        int seq = shape[0], dim = shape[1], heads = a.heads(), headDim = dim / heads;
        Map<String, Tensor> p = a.namedParameters();
        Tensor w = p.get("in_proj_weight");
        String qkv = g.node("Add", path, List.of(
                g.node("MatMul", path, List.of(x, g.floats(path + ".in_proj_weight_t", w.transpose(0, 1).contiguous().toArray(), dim, 3L * dim))),
                g.floats(path + ".in_proj_bias", p.get("in_proj_bias").toArray(), 3L * dim)));
        List<String> parts = g.nodeWithOutputs("Split", path, List.of(qkv, g.longs(path + ".split", dim, dim, dim)), 3, integer("axis", 2));
        String headShape = g.longs(path + ".head_shape", 0, 0, heads, headDim);
        String q = g.node("Transpose", path, List.of(g.node("Reshape", path, List.of(parts.get(0), headShape))), ints("perm", 0, 2, 1, 3));
        String kT = g.node("Transpose", path, List.of(g.node("Reshape", path, List.of(parts.get(1), headShape))), ints("perm", 0, 2, 3, 1));
        String v = g.node("Transpose", path, List.of(g.node("Reshape", path, List.of(parts.get(2), headShape))), ints("perm", 0, 2, 1, 3));
        String scores = g.node("Mul", path, List.of(g.node("MatMul", path, List.of(q, kT)),
                g.floats(path + ".scale", new float[] {(float) (1 / Math.sqrt(headDim))})));
        if (a.causal()) {
            float[] mask = new float[seq * seq];
            for (int i = 0; i < seq; i++) for (int j = i + 1; j < seq; j++) mask[i * seq + j] = Float.NEGATIVE_INFINITY;
            scores = g.node("Add", path, List.of(scores, g.floats(path + ".causal_mask", mask, seq, seq)));
        }
        String weights = g.node("Softmax", path, List.of(scores), integer("axis", -1));
        String merged = g.node("Transpose", path, List.of(g.node("MatMul", path, List.of(weights, v))), ints("perm", 0, 2, 1, 3));
        String out = g.node("Reshape", path, List.of(merged, g.longs(path + ".merged_shape", 0, 0, dim)));
        return layers.translate(a.children().get("out_proj"), path + ".out_proj", out, shape);
    }

    /** x + attn(norm1(x)), then + linear2(gelu(linear1(norm2(.)))); dropout is the identity in eval mode. */
    String transformer(TransformerEncoderBlock t, String path, String x, int[] shape) {
        var c = t.children();
        String attended = layers.translate(c.get("self_attn"), path + ".self_attn", layers.translate(c.get("norm1"), path + ".norm1", x, shape), shape);
        String h = g.node("Add", path, List.of(x, attended));
        String hidden = layers.translate(c.get("linear1"), path + ".linear1", layers.translate(c.get("norm2"), path + ".norm2", h, shape), shape);
        int[] ffShape = c.get("linear1").outputShape(shape);
        String ff = layers.translate(c.get("linear2"), path + ".linear2", layers.gelu(path + ".gelu", hidden), ffShape);
        return g.node("Add", path, List.of(h, ff));
    }
}
