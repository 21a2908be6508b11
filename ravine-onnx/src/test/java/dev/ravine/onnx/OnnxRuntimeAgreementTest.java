package dev.ravine.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.ravine.autograd.GradMode;
import dev.ravine.data.DataLoader;
import dev.ravine.data.Dataset;
import dev.ravine.data.IdxReader;
import dev.ravine.data.Normalizer;
import dev.ravine.data.SyntheticData;
import dev.ravine.nn.Activation;
import dev.ravine.nn.AvgPool2d;
import dev.ravine.nn.BatchNorm;
import dev.ravine.nn.Conv2d;
import dev.ravine.nn.Dropout;
import dev.ravine.nn.Embedding;
import dev.ravine.nn.Flatten;
import dev.ravine.nn.GroupNorm;
import dev.ravine.nn.Gru;
import dev.ravine.nn.InstanceNorm;
import dev.ravine.nn.LayerNorm;
import dev.ravine.nn.Linear;
import dev.ravine.nn.Lstm;
import dev.ravine.nn.MaxPool2d;
import dev.ravine.nn.Module;
import dev.ravine.nn.MultiheadAttention;
import dev.ravine.nn.Recurrent;
import dev.ravine.nn.Residual;
import dev.ravine.nn.Rnn;
import dev.ravine.nn.Sequential;
import dev.ravine.nn.TransformerEncoderBlock;
import dev.ravine.nn.WeightForm;
import dev.ravine.nn.loss.CrossEntropyLoss;
import dev.ravine.optim.Optimizers;
import dev.ravine.tensor.Rng;
import dev.ravine.tensor.Tensor;
import dev.ravine.train.Trainer;
import dev.ravine.train.TrainingOptions;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Each model is trained briefly (so that weights and batch-norm statistics are a trained net's), exported, and run
 * in ONNX Runtime on the 2,000 shipped test digits (the attention model: on generated token sequences); its outputs
 * (logits) must match Ravine's in eval mode to 1e-5.
 */
class OnnxRuntimeAgreementTest {
    private static final double TOLERANCE = 1e-5;
    private static Dataset train;
    private static Dataset test;

    @BeforeAll
    static void digits() {
        Dataset rawTrain = IdxReader.read(Path.of("../data/mnist-10k/train"));
        Normalizer scale = Normalizer.fit(Normalizer.Kind.SCALE01, rawTrain);
        int[] first = new int[640];
        for (int i = 0; i < first.length; i++) first[i] = i;
        train = scale.apply(rawTrain.subset(first));
        test = scale.apply(IdxReader.read(Path.of("../data/mnist-10k/t10k")));
    }

    @Test
    void mlp() throws Exception {
        Rng rng = new Rng(1);
        Module mlp = new Sequential(new Flatten(), new Linear(784, 64, true, rng), Activation.relu(), new Dropout(0.2, rng),
                new Linear(64, 10, true, rng));
        agree("mlp", mlp, train, test);
    }

    @Test
    void cnnWithBatchNorm() throws Exception {
        Rng rng = new Rng(2);
        Module cnn = new Sequential(new Conv2d(1, 8, 3, 1, 1, true, rng, null), BatchNorm.of2d(8), Activation.relu(),
                new MaxPool2d(2, 2, 0), new Conv2d(8, 16, 3, 1, 1, false, rng, null), BatchNorm.of2d(16), Activation.relu(),
                new AvgPool2d(2, 2, 0), new Flatten(), new Linear(16 * 7 * 7, 10, true, rng));
        agree("cnn+batchnorm", cnn, train, test);
    }

    @Test
    void residualNet() throws Exception {
        Rng rng = new Rng(3);
        int[] stem = {8, 14, 14};
        Module same = new Sequential(new Conv2d(8, 8, 3, 1, 1, false, rng, null), BatchNorm.of2d(8), Activation.relu(),
                new Conv2d(8, 8, 3, 1, 1, false, rng, null), BatchNorm.of2d(8));
        Module down = new Sequential(new Conv2d(8, 16, 3, 2, 1, false, rng, null), BatchNorm.of2d(16), Activation.relu(),
                new Conv2d(16, 16, 3, 1, 1, false, rng, null), BatchNorm.of2d(16));
        Module net = new Sequential(new Conv2d(1, 8, 3, 2, 1, true, rng, null), BatchNorm.of2d(8), Activation.relu(),
                new Residual(same, stem, rng), Activation.relu(),
                new Residual(down, stem, rng), Activation.relu(),                 // a 1x1 strided projection on the shortcut
                new Flatten(), new Residual(new Sequential(new Linear(784, 32, true, rng), Activation.relu()), new int[] {784}, rng),
                new Linear(32, 10, true, rng));
        agree("residual", net, train, test);
    }

    @Test
    void lstm() throws Exception {
        Rng rng = new Rng(4);
        // The digits as sequences of 28 rows of 28 pixels; two stacked layers, the last step's hidden state.
        Module lstm = new Sequential(new Lstm(28, 32, 2, false, rng), new Linear(32, 10, true, rng));
        agree("lstm", lstm, rows(train), rows(test));
    }

    @Test
    void gruAndRnnWithEverySequenceStep() throws Exception {
        Rng rng = new Rng(5);
        Module net = new Sequential(new Gru(28, 24, 1, true, rng), new Rnn(24, 16, 1, false, rng), new Linear(16, 10, true, rng));
        agree("gru+rnn", net, rows(train), rows(test));
    }

    @Test
    void dilatedGroupedAndSamePaddedConvolutions() throws Exception {
        Rng rng = new Rng(7);
        // padding: same with an even reach (kernel 2, dilation 1; kernel 4) puts its odd pixel at the bottom and right;
        // groups 2 and a depthwise conv (groups = channels); dilation 2 with and without same padding
        Module net = new Sequential(new AvgPool2d(2, 2, 0), conv(1, 4, 3, 1, 1, 1, false, rng), Activation.relu(),
                conv(4, 8, 2, 1, 0, 2, true, rng), Activation.relu(), conv(8, 8, 3, 2, 0, 8, true, rng), Activation.relu(),
                conv(8, 8, 3, 2, 1, 1, false, rng), Activation.relu(), conv(8, 8, 4, 1, 0, 4, true, rng), new Flatten(),
                new Linear(8 * 12 * 12, 10, true, rng));
        agree("conv dilation+groups+same", net, train, test);
    }

    private static Conv2d conv(int in, int out, int kernel, int dilation, int padding, int groups, boolean same, Rng rng) {
        return new Conv2d(in, out, kernel, 1, padding, true, rng, null, WeightForm.PLAIN, new Conv2d.Options(dilation, groups, same));
    }

    @Test
    void bidirectionalRecurrentStacks() throws Exception {
        Rng rng = new Rng(8);
        // every step of a 2-layer bidirectional GRU (the upper layer reads both directions), then the last step of a
        // bidirectional LSTM and of a bidirectional RNN (forward after the whole sequence, backward after its last row)
        Recurrent.Options both = new Recurrent.Options(true, 0.1);
        Module net = new Sequential(new Gru(28, 12, 2, true, true, both, rng), new Lstm(24, 10, 1, true, true, both, rng),
                new Rnn(20, 8, 2, false, true, both, rng), new Linear(16, 10, true, rng));
        agree("bidirectional gru+lstm+rnn", net, rows(train), rows(test));
    }

    @Test
    void otherNormalizationsAndActivations() throws Exception {
        Rng rng = new Rng(6);
        // Pooled to 14x14 first: the normalizations' backward passes at 28x28 would make the test slow.
        Module net = new Sequential(new AvgPool2d(2, 2, 0), new Conv2d(1, 4, 3, 1, 1, true, rng, null), new GroupNorm(2, 4, 1e-5),
                new Activation(Activation.Kind.GELU), new Conv2d(4, 4, 3, 1, 1, true, rng, null),
                InstanceNorm.of2d(4), new Activation(Activation.Kind.ELU), new MaxPool2d(2, 2, 0), new Flatten(),
                new Linear(4 * 7 * 7, 32, true, rng), new LayerNorm(new int[] {32}, 1e-5), new Activation(Activation.Kind.LEAKY_RELU),
                new Linear(32, 16, true, rng, null, WeightForm.WEIGHT_NORM), new Activation(Activation.Kind.TANH),
                new Linear(16, 16, true, rng, null, WeightForm.SPECTRAL_NORM), new Activation(Activation.Kind.SIGMOID), new Linear(16, 16, true, rng), new Activation(Activation.Kind.SOFTPLUS),
                new Linear(16, 10, true, rng));
        agree("groupnorm+instancenorm+layernorm+weight forms+activations", net, train, test);
    }

    @Test
    void embeddingAttentionAndTransformer() throws Exception {
        Rng rng = new Rng(8);
        // token sequences in which one token occurs twice; the label is that token (examples/embedding-attention.yaml)
        Dataset train = SyntheticData.sequence(24, 16, 640, 1);
        Dataset test = SyntheticData.sequence(24, 16, 500, 2);
        Module net = new Sequential(new Embedding(24, 32, 0, rng), new MultiheadAttention(32, 4, 0.1, true, rng),
                new TransformerEncoderBlock(32, 4, 64, 0.1, false, rng), new Flatten(), new Linear(16 * 32, 24, true, rng));
        agree("embedding+attention+transformer", net, train, test);
    }

    private static Dataset rows(Dataset d) {
        return Dataset.classification(d.features(), new int[] {28, 28}, d.labels(), d.numClasses());
    }

    @Test
    void theNormalizerIsTheGraphsFirstStepSoItTakesRawPixels() throws Exception {
        Dataset rawTest = IdxReader.read(Path.of("../data/mnist-10k/t10k"));
        Normalizer standardize = Normalizer.fit(Normalizer.Kind.STANDARDIZE, rawTest);
        Rng rng = new Rng(7);
        Module mlp = new Sequential(new Flatten(), new Linear(784, 32, true, rng), Activation.relu(), new Linear(32, 10, true, rng));
        var model = OnnxExport.model(mlp, rawTest.sampleShape(), standardize, "standardized", "test");
        assertEquals("Sub", model.getGraph().getNode(0).getOpType());
        double diff = maxDifference(ravineOutputs(mlp, standardize.apply(rawTest)), onnxRuntime(model.toByteArray(), rawTest));
        System.out.printf(Locale.ROOT, "[onnx] raw pixels through the exported standardize normalizer: max |diff| = %.3g%n", diff);
        assertTrue(diff <= TOLERANCE, "normalizer in the graph: " + diff);
        Normalizer pca = Normalizer.fit(Normalizer.Kind.PCA, Dataset.classification(new float[] {0, 1, 2, 3, 5, 4}, new int[] {2},
                new int[] {0, 1, 0}, 2));
        Module small = new Sequential(new Linear(2, 2, true, rng));
        OnnxExportException e = org.junit.jupiter.api.Assertions.assertThrows(OnnxExportException.class,
                () -> OnnxExport.model(small, new int[] {2}, pca, "pca", "test"));
        assertTrue(e.getMessage().contains("export without the normalizer"), e.getMessage());
    }

    private static void agree(String name, Module model, Dataset trainSet, Dataset testSet) throws Exception {
        Rng rng = new Rng(9);
        new Trainer(model, new CrossEntropyLoss(), Optimizers.adam(model.namedParameters(), 1e-2), rng, TrainingOptions.epochs(2))
                .fit(new DataLoader(trainSet, 64, true, false, 9), null);
        int[] sample = testSet.sampleShape();
        byte[] onnx = OnnxExport.model(model, sample, name, "test").toByteArray();
        float[] ravine = ravineOutputs(model, testSet);
        float[] runtime = onnxRuntime(onnx, testSet);
        double maxDiff = maxDifference(ravine, runtime), maxAbs = 0;
        for (float v : ravine) maxAbs = Math.max(maxAbs, Math.abs(v));
        System.out.printf(Locale.ROOT, "[onnx] %s: max |ravine - onnxruntime| = %.3g over %d outputs (largest |output| %.3g), %d nodes%n",
                name, maxDiff, ravine.length, maxAbs, OnnxExport.model(model, sample, name, "test").getGraph().getNodeCount());
        assertTrue(maxDiff <= TOLERANCE, name + ": ONNX Runtime differs from Ravine by " + maxDiff);
        assertTrue(maxAbs > 0.25, name + ": a trained net's logits are not all near 0 (the comparison would be too easy): " + maxAbs);
    }

    private static double maxDifference(float[] ravine, float[] runtime) {
        assertEquals(ravine.length, runtime.length);
        double maxDiff = 0;
        for (int i = 0; i < ravine.length; i++) maxDiff = Math.max(maxDiff, Math.abs(ravine[i] - runtime[i]));
        return maxDiff;
    }

    /** The model's output for every sample of {@code testSet}, in one batch, by ONNX Runtime. */
    private static float[] onnxRuntime(byte[] onnx, Dataset testSet) throws Exception {
        int[] sample = testSet.sampleShape();
        float[] runtime;
        long[] shape = new long[sample.length + 1];
        shape[0] = testSet.size();
        for (int i = 0; i < sample.length; i++) shape[i + 1] = sample[i];
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(onnx, new OrtSession.SessionOptions());
             OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(testSet.features()), shape);
             OrtSession.Result result = session.run(Map.of(OnnxExport.INPUT, input))) {
            OnnxTensor out = (OnnxTensor) result.get(0);
            assertEquals(testSet.size(), out.getInfo().getShape()[0]);
            FloatBuffer buffer = out.getFloatBuffer();
            runtime = new float[buffer.remaining()];
            buffer.get(runtime);
        }
        return runtime;
    }

    private static float[] ravineOutputs(Module model, Dataset data) {
        model.eval();
        java.util.List<float[]> parts = new java.util.ArrayList<>();
        try (var scope = GradMode.noGrad()) {
            for (var batch : new DataLoader(data, 500, false, false, 0).epoch(0)) parts.add(model.call(batch.inputs()).toArray());
        }
        int n = parts.stream().mapToInt(a -> a.length).sum(), at = 0;
        float[] out = new float[n];
        for (float[] part : parts) {
            System.arraycopy(part, 0, out, at, part.length);
            at += part.length;
        }
        return out;
    }
}
