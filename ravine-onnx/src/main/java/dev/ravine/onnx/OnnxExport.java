package dev.ravine.onnx;

import dev.ravine.data.Normalizer;
import dev.ravine.nn.Module;
import dev.ravine.tensor.Shape;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import onnx.Onnx.ModelProto;
import onnx.Onnx.OperatorSetIdProto;
import onnx.Onnx.TensorProto;
import onnx.Onnx.TensorShapeProto;
import onnx.Onnx.TypeProto;
import onnx.Onnx.ValueInfoProto;

/**
 * Writes a Ravine model as an ONNX model: one input {@code input} of shape [batch, ...sample shape] (batch a
 * symbolic dimension), one output {@code output}, the model in eval mode (see {@link OnnxLayers}), opset 17 of the
 * default domain and IR version 8, which ONNX Runtime 1.12 and later run. Messages are built with protobuf-java's
 * classes generated from onnx.proto.
 */
public final class OnnxExport {
    public static final int OPSET = 17;
    public static final long IR_VERSION = 8;
    public static final String INPUT = "input";
    public static final String OUTPUT = "output";

    private OnnxExport() {}

    /**
     * @param sampleShape one sample's shape, without the batch axis (e.g. [1, 28, 28])
     * @param producerVersion Ravine's version, recorded in the model
     */
    public static ModelProto model(Module model, int[] sampleShape, String name, String producerVersion) {
        return model(model, sampleShape, null, name, producerVersion);
    }

    /**
     * With the data's normalizer as the graph's first nodes, so that the model takes raw inputs (pixels 0..255) as
     * the data files hold them: (x - mean) / scale per feature. A PCA or whitening normalizer (a matrix) is refused:
     * export without it, and apply it before the model.
     *
     * @param normalizer null or kind none: the graph takes the inputs as they are
     */
    public static ModelProto model(Module model, int[] sampleShape, Normalizer normalizer, String name, String producerVersion) {
        boolean wasTraining = model.isTraining();
        model.eval();
        try {
            OnnxGraph graph = new OnnxGraph(name);
            String normalized = normalizer == null ? INPUT : normalize(graph, normalizer, sampleShape);
            String output = new OnnxLayers(graph).translate(model, "", normalized, sampleShape);
            int[] outShape = model.outputShape(sampleShape);
            // An Identity whose output carries the graph's output name, whatever value the last layer made.
            graph.node("Identity", OUTPUT, java.util.List.of(output));
            graph.proto().getNodeBuilderList().getLast().setOutput(0, OUTPUT);
            graph.proto().addInput(valueInfo(INPUT, sampleShape)).addOutput(valueInfo(OUTPUT, outShape));
            return ModelProto.newBuilder().setIrVersion(IR_VERSION).setProducerName("ravine").setProducerVersion(producerVersion)
                    .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                    .setGraph(graph.proto()).build();
        } finally {
            model.train(wasTraining);
        }
    }

    /** Writes a model to {@code file} in the protobuf binary encoding that .onnx files hold. */
    public static void write(ModelProto model, Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            model.writeTo(out);
        }
    }

    private static String normalize(OnnxGraph graph, Normalizer normalizer, int[] sampleShape) {
        if (normalizer.kind() == Normalizer.Kind.NONE) return INPUT;
        if (normalizer.kind().usesMatrix()) {
            throw new OnnxExportException("the data normalizer is " + normalizer.kind().id() + ", a matrix the graph does not "
                    + "include; export without the normalizer and apply normalizer.json to the inputs before the model");
        }
        if (!Arrays.equals(normalizer.sampleShape(), sampleShape)) {
            throw new OnnxExportException("the normalizer was fitted on samples " + Shape.str(normalizer.sampleShape())
                    + " but the model takes " + Shape.str(sampleShape));
        }
        // mean and scale are per group of consecutive features (e.g. one per channel): spread over every feature.
        float[] groupMean = normalizer.mean(), groupScale = normalizer.scale();
        int features = Shape.numel(sampleShape), groupSize = features / groupMean.length;
        float[] mean = new float[features], scale = new float[features];
        for (int i = 0; i < features; i++) {
            mean[i] = groupMean[i / groupSize];
            scale[i] = groupScale[i / groupSize];
        }
        long[] dims = OnnxLayers.longs(sampleShape);
        String centred = graph.node("Sub", "normalizer", java.util.List.of(INPUT, graph.floats("normalizer.mean", mean, dims)));
        return graph.node("Div", "normalizer", java.util.List.of(centred, graph.floats("normalizer.scale", scale, dims)));
    }

    private static ValueInfoProto valueInfo(String name, int[] sampleShape) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder().addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("batch"));
        for (int d : sampleShape) shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        TypeProto type = TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder()
                .setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(shape)).build();
        return ValueInfoProto.newBuilder().setName(name).setType(type).setDocString("[batch, " + Shape.str(sampleShape) + "]").build();
    }
}
