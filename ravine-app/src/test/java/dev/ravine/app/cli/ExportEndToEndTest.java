package dev.ravine.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.ravine.app.ExitCode;
import dev.ravine.data.Dataset;
import dev.ravine.data.IdxReader;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import onnx.Onnx.ModelProto;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ravine export} writes the run's best model with its normalizer: ONNX Runtime, given the raw test pixels,
 * gives the class probabilities {@code ravine predict} writes.
 */
class ExportEndToEndTest {
    @TempDir
    Path dir;

    @Test
    void theExportedModelOnRawPixelsGivesPredictsProbabilities() throws Exception {
        TestData.writeSubset(dir, "train", "train", 300);
        TestData.writeSubset(dir, "t10k", "test", 100);
        Path config = dir.resolve("mlp.yaml");
        Files.writeString(config, TestData.mlpConfig("{name: adam, lr: 0.003}", 2));
        Path run = dir.resolve("run");
        assertEquals(ExitCode.OK, CommandResult.run("train", config.toString(), "--out", run.toString()).exitCode());

        Path onnx = dir.resolve("model.onnx");
        CommandResult export = CommandResult.run("export", run.toString(), "--out", onnx.toString());
        assertEquals(ExitCode.OK, export.exitCode(), export::toString);
        assertTrue(export.out().contains("weights: " + run.resolve("checkpoints/best.ckpt")), export::toString);
        assertTrue(export.out().contains("the scale01 normalizer is in the graph"), export::toString);
        ModelProto model = ModelProto.parseFrom(Files.readAllBytes(onnx));
        assertEquals("Sub", model.getGraph().getNode(0).getOpType(), "the normalizer comes first");

        Path csv = dir.resolve("predictions.csv");
        assertEquals(ExitCode.OK, CommandResult.run("predict", run.toString(), "--data", "idx:" + dir.resolve("test"), "--out",
                csv.toString()).exitCode());
        List<String> rows = Files.readAllLines(csv).subList(1, 101);

        Dataset raw = IdxReader.read(dir.resolve("test"));
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(onnx.toString(), new OrtSession.SessionOptions());
             OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(raw.features()), new long[] {100, 1, 28, 28});
             OrtSession.Result result = session.run(Map.of("input", input))) {
            float[][] logits = (float[][]) result.get(0).getValue();
            double maxDiff = 0;
            for (int i = 0; i < 100; i++) {
                double[] p = softmax(logits[i]);
                String[] f = rows.get(i).split(",");
                for (int c = 0; c < 10; c++) maxDiff = Math.max(maxDiff, Math.abs(p[c] - Double.parseDouble(f[3 + c])));
            }
            assertTrue(maxDiff < 1e-5, "ONNX Runtime's probabilities against predictions.csv: " + maxDiff);
        }
        CommandResult bare = CommandResult.run("export", run.toString(), "--out", dir.resolve("bare.onnx").toString(), "--without-normalizer");
        assertEquals(ExitCode.OK, bare.exitCode(), bare::toString);
        assertTrue(!ModelProto.parseFrom(Files.readAllBytes(dir.resolve("bare.onnx"))).getGraph().getNode(0).getOpType().equals("Sub"));
    }

    private static double[] softmax(float[] z) {
        double max = Double.NEGATIVE_INFINITY, sum = 0;
        for (float v : z) max = Math.max(max, v);
        double[] p = new double[z.length];
        for (int i = 0; i < z.length; i++) sum += p[i] = Math.exp(z[i] - max);
        for (int i = 0; i < z.length; i++) p[i] /= sum;
        return p;
    }
}
