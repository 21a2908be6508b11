package dev.ravine.onnx;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import onnx.Onnx.AttributeProto;
import onnx.Onnx.GraphProto;
import onnx.Onnx.NodeProto;
import onnx.Onnx.TensorProto;

/**
 * An ONNX graph being built: nodes in order, weights and constants as initializers, and fresh value names. Values
 * are named after the Ravine module that makes them (e.g. {@code 2.block.0/Conv}), so a graph viewer shows the
 * model's structure.
 */
final class OnnxGraph {
    private final GraphProto.Builder graph = GraphProto.newBuilder();
    private final Set<String> names = new HashSet<>();

    OnnxGraph(String name) {
        graph.setName(name);
    }

    /** A fresh value name starting with {@code stem}. */
    String fresh(String stem) {
        String name = stem;
        for (int i = 2; names.contains(name); i++) name = stem + "_" + i;
        names.add(name);
        return name;
    }

    /** Adds node {@code op} on {@code inputs} (an empty name: an omitted optional input); returns its first output. */
    String node(String op, String stem, List<String> inputs, AttributeProto... attributes) {
        return nodeWithOutputs(op, stem, inputs, 1, attributes).getFirst();
    }

    /** Adds a node with {@code outputs} outputs and returns their names. */
    List<String> nodeWithOutputs(String op, String stem, List<String> inputs, int outputs, AttributeProto... attributes) {
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(fresh(stem + "/" + op)).addAllInput(inputs);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < outputs; i++) out.add(fresh(stem + "/" + op + (i == 0 ? "" : ":" + i)));
        n.addAllOutput(out);
        for (AttributeProto a : attributes) n.addAttribute(a);
        graph.addNode(n);
        return out;
    }

    /** A float initializer (a weight or a constant) of the given shape. */
    String floats(String stem, float[] values, long... dims) {
        String name = fresh(stem);
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE);
        for (long d : dims) t.addDims(d);
        for (float v : values) t.addFloatData(v);
        graph.addInitializer(t);
        return name;
    }

    /** An int64 initializer of shape [values.length], e.g. a Reshape's target shape or an Unsqueeze's axes. */
    String longs(String stem, long... values) {
        String name = fresh(stem);
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.INT64_VALUE)
                .addDims(values.length);
        for (long v : values) t.addInt64Data(v);
        graph.addInitializer(t);
        return name;
    }

    GraphProto.Builder proto() {
        return graph;
    }

    static AttributeProto ints(String name, long... values) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long v : values) a.addInts(v);
        return a.build();
    }

    static AttributeProto integer(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }

    static AttributeProto real(String name, float value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(value).build();
    }

    static AttributeProto text(String name, String value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.STRING)
                .setS(com.google.protobuf.ByteString.copyFromUtf8(value)).build();
    }
}
