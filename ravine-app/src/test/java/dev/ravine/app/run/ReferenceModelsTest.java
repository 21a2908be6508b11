package dev.ravine.app.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ravine.app.config.ConfigReader;
import dev.ravine.app.config.LayerConfig;
import dev.ravine.app.config.LayerKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The end-of-run check's references really bigger than the run's model, the chance loss and the late drop it judges by. */
class ReferenceModelsTest {
    @TempDir
    Path dir;

    private List<LayerConfig> layers(String yaml) throws Exception {
        Path file = dir.resolve("c.yaml");
        Files.writeString(file, "data: {train: \"blobs:classes=3,dims=2,samples=60,seed=1\"}\nmodel:\n  layers: " + yaml + "\nloss: cross_entropy\n"
                + "optimizer: {name: sgd, lr: 0.1}\ntraining: {epochs: 1, batch_size: 10}\n");
        return ConfigReader.read(file, List.of(), dir).model().layers();
    }

    @Test
    void aTinyHiddenLayerIsWidenedToAtLeast64UnitsAndAWideOneFourfold() throws Exception {
        List<LayerConfig> wider = ReferenceModels.wider(layers("[{linear: {out: 2}}, tanh, {linear: {out: 100}}, tanh, {linear: {out: 3}}]"));
        assertEquals(64, wider.get(0).integer("out"), "2 units made 8 is hardly a bigger model");
        assertEquals(400, wider.get(2).integer("out"));
        assertEquals(3, wider.get(4).integer("out"), "the output layer keeps its size");
    }

    @Test
    void theShallowerReferencesCutIsItsNarrowestRemovedHiddenLayer() throws Exception {
        List<LayerConfig> bottleneck = layers("[{linear: {out: 64}}, relu, {linear: {out: 1}}, relu, {linear: {out: 5}}]");
        assertEquals(1, ReferenceModels.cutWidth(bottleneck), "the one-unit layer is what the shallower net lacks");
        assertEquals(5, ReferenceModels.outputs(bottleneck));
        List<LayerConfig> deep = layers("[{linear: {out: 16}}, tanh, {linear: {out: 8}}, tanh, {linear: {out: 12}}, tanh, {linear: {out: 3}}]");
        assertEquals(8, ReferenceModels.cutWidth(deep), "the first hidden layer is kept, so its width is not the cut's");
        List<LayerConfig> uniform = layers("[{linear: {out: 6}}, relu, {linear: {out: 6}}, relu, {linear: {out: 6}}, relu, {linear: {out: 10}}]");
        assertEquals(0, ReferenceModels.cutWidth(uniform), "the shallower net keeps a layer as narrow: it lacks only depth");
        assertEquals(0, ReferenceModels.cutWidth(layers("[{linear: {out: 16}}, tanh, {linear: {out: 3}}]")), "no shallower reference");
    }

    private List<LayerConfig> image(String yaml) throws Exception {
        Path file = dir.resolve("i.yaml");
        Files.writeString(file, "data: {train: \"blobs:classes=3,dims=64,samples=60,seed=1\"}\nmodel:\n  input: [1, 8, 8]\n  layers: " + yaml
                + "\nloss: cross_entropy\noptimizer: {name: sgd, lr: 0.1}\ntraining: {epochs: 1, batch_size: 10}\n");
        return ConfigReader.read(file, List.of(), dir).model().layers();
    }

    @Test
    void aConvolutionalStemIsKeptAndTheHeadAfterItsFlattenVaried() throws Exception {
        // fresh5-bias-two-unit-bottleneck-cnn-digits: conv features through 64 linear units, then two tanh units, ten classes
        List<LayerConfig> cnn = image("[{conv2d: {out: 4, kernel: 3}}, relu, {maxpool: {kernel: 2}}, flatten, {linear: {out: 64}},"
                + " {linear: {out: 2}}, tanh, {linear: {out: 10}}]");
        assertEquals(4, ReferenceModels.headStart(cnn));
        List<LayerConfig> shallower = ReferenceModels.shallower(cnn);
        assertEquals(List.of(LayerKind.CONV2D, LayerKind.RELU, LayerKind.MAXPOOL, LayerKind.FLATTEN, LayerKind.LINEAR, LayerKind.LINEAR),
                shallower.stream().map(LayerConfig::kind).toList(), "the stem stays; the two-unit block is what is dropped");
        assertEquals(2, ReferenceModels.cutWidth(cnn), "the two units are the cut: a bottleneck before ten classes");
        assertEquals(10, ReferenceModels.outputs(cnn));
        List<LayerConfig> wider = ReferenceModels.wider(cnn);
        assertEquals(4, wider.get(0).integer("out"), "the stem's channels are the run's own");
        assertEquals(256, wider.get(4).integer("out"));
        assertEquals(64, wider.get(5).integer("out"));
        assertEquals(10, wider.get(7).integer("out"));
        // a one-linear read-out gets a hidden layer of 64 ReLUs after the flatten
        List<LayerConfig> readOut = ReferenceModels.wider(image("[{conv2d: {out: 1, kernel: 3}}, relu, flatten, {linear: {out: 3}}]"));
        assertEquals(List.of(LayerKind.CONV2D, LayerKind.RELU, LayerKind.FLATTEN, LayerKind.LINEAR, LayerKind.RELU, LayerKind.LINEAR),
                readOut.stream().map(LayerConfig::kind).toList());
        // a linear layer before the convolutions: no plain stem, no references
        List<LayerConfig> mixed = image("[{linear: {out: 8}}, {conv2d: {out: 2, kernel: 3}}, relu, flatten, {linear: {out: 3}}]");
        assertEquals(-1, ReferenceModels.headStart(mixed));
        assertNull(ReferenceModels.wider(mixed));
        assertNull(ReferenceModels.shallower(mixed));
        assertEquals(0, ReferenceModels.headStart(layers("[{linear: {out: 8}}, relu, {linear: {out: 3}}]")), "no convolution: the whole model");
    }

    @Test
    void theLossFloorIsTheSmoothedTargetsEntropy() {
        double eps = 0.2, k = 10, top = 1 - eps + eps / k, rest = eps / k;
        double expected = -top * Math.log(top) - (k - 1) * rest * Math.log(rest);
        int[] counts = {100, 90, 110, 100, 95, 105, 100, 100, 100, 100};
        assertEquals(expected, LossFloor.smoothed(counts, 10, eps, null), 1e-12);
        assertEquals(0.867, LossFloor.smoothed(counts, 10, eps, null), 1e-3);
        assertEquals(0, LossFloor.smoothed(counts, 10, 0, null), 1e-12, "no smoothing: a confident fit reaches 0");
        float[] same = new float[10];
        java.util.Arrays.fill(same, 3f);
        assertEquals(expected, LossFloor.smoothed(counts, 10, eps, same), 1e-9, "equal weights change nothing (torch's weighted mean)");
        float[] skewed = new float[10];
        java.util.Arrays.fill(skewed, 1f);
        skewed[0] = 5f;
        assertTrue(Math.abs(LossFloor.smoothed(counts, 10, eps, skewed) - expected) > 1e-3, "unequal weights move the floor");
        assertEquals(0, LossFloor.binary(new float[] {0, 1, 1, 0}, 1, null), 1e-12, "hard targets: no floor");
        assertEquals(Math.log(2) / 2, LossFloor.binary(new float[] {0.5f, 1}, 1, null), 1e-7, "a target of 0.5 keeps ln 2 per output");
    }

    @Test
    void aRecurrentCellIsWidenedAndItsModelGetsNoShallowerReference() throws Exception {
        List<LayerConfig> wider = ReferenceModels.wider(layers("[{gru: {hidden: 1}}, {linear: {out: 3}}]"));
        assertEquals(LayerKind.GRU, wider.get(0).kind());
        assertEquals(64, wider.get(0).integer("hidden"));
        assertEquals(2, wider.size(), "the recurrent cell is the hidden layer: no ReLU layer is added");
        assertNull(ReferenceModels.shallower(layers("[{gru: {hidden: 1}}, {linear: {out: 3}}]")));
    }

    @Test
    void anEmbeddingBeforeAttentionIsWidenedFourfoldButNotOneBeforeARecurrentCell() throws Exception {
        // fresh3-bias-attention-dim-two-sequence: the bottleneck is the embedding, not the read-out
        List<LayerConfig> wider = ReferenceModels.wider(layers("[{embedding: {num_embeddings: 8, dim: 2}}, {attention: {heads: 1}}, flatten, {linear: {out: 3}}]"));
        assertEquals(LayerKind.EMBEDDING, wider.get(0).kind());
        assertEquals(8, wider.get(0).integer("dim"));
        // fresh2-bias-lstm-two-units-sequence: the LSTM's state is the width, the embedding stays
        List<LayerConfig> recurrent = ReferenceModels.wider(layers("[{embedding: {num_embeddings: 6, dim: 8}}, {lstm: {hidden: 2}}, {linear: {out: 3}}]"));
        assertEquals(8, recurrent.get(0).integer("dim"));
        assertEquals(64, recurrent.get(1).integer("hidden"));
    }

    @Test
    void theChanceLossIsTheEntropyOfTheClassFrequenciesOrTheTargetsVariance() {
        assertEquals(Math.log(3), ChanceLoss.entropy(new int[] {5, 5, 5}), 1e-12);
        assertEquals(-(0.75 * Math.log(0.75) + 0.25 * Math.log(0.25)), ChanceLoss.entropy(new int[] {3, 1, 0}), 1e-12);
        // two target components: {0, 2} has variance 1, {1, 1} has 0; MSE's mean over components is 0.5
        assertEquals(0.5, ChanceLoss.variance(new float[] {0, 1, 2, 1}, 2), 1e-12);
    }

    @Test
    void underLabelSmoothingTheChanceLossIsTheEntropyOfThePooledSmoothedTargets() {
        int[] counts = {30, 10};
        assertEquals(ChanceLoss.entropy(counts), ChanceLoss.pooled(counts, 2, 0, null), 1e-12, "plain targets: the class frequencies' entropy");
        // eps 0.2 over 2 classes: each row puts 0.9 on its class, 0.1 on the other; pooled (30*0.9+10*0.1, 30*0.1+10*0.9)/40 = (0.7, 0.3)
        double expected = -(0.7 * Math.log(0.7) + 0.3 * Math.log(0.3));
        assertEquals(expected, ChanceLoss.pooled(counts, 2, 0.2, null), 1e-12);
        assertTrue(ChanceLoss.pooled(counts, 2, 0.2, null) > ChanceLoss.entropy(counts), "smoothing pulls the best constant toward uniform");
        assertTrue(ChanceLoss.pooled(counts, 2, 0.2, null) > LossFloor.smoothed(counts, 2, 0.2, null), "chance lies above the floor");
        // balanced-style weights (3 for the rare class): masses 30 and 30, loss ln 2 over the rows' weight 60 times the pooled 60 -> ln 2
        assertEquals(Math.log(2), ChanceLoss.pooled(counts, 2, 0, new float[] {1, 3}), 1e-12);
    }

    @Test
    void aSmoothedConfigHasAFiniteChanceLoss() throws Exception {
        Path file = dir.resolve("s.yaml");
        Files.writeString(file, "data: {train: \"blobs:classes=3,dims=2,samples=60,seed=1\"}\nmodel:\n  layers: [{linear: {out: 3}}]\n"
                + "loss: {name: cross_entropy, label_smoothing: 0.1}\noptimizer: {name: sgd, lr: 0.1}\ntraining: {epochs: 1, batch_size: 10}\n");
        var config = ConfigReader.read(file, List.of(), dir);
        var train = dev.ravine.app.build.RunSplit.of(config, "train", false);
        assertTrue(Double.isFinite(ChanceLoss.of(config, train)));
    }

    @Test
    void aRunStillFallingFromItsMiddleThirdToItsLastHasALateDropAFlatOneNone() {
        List<double[]> falling = new ArrayList<>(), flat = new ArrayList<>();
        for (int i = 1; i <= 90; i++) {
            falling.add(new double[] {i, 1.0 - 0.005 * i});
            flat.add(new double[] {i, 1.0 + 0.05 * Math.sin(i)});
        }
        // medians of steps 31-60 and 61-90: 0.7725 and 0.6225
        assertEquals((0.7725 - 0.6225) / 0.7725, TrainingLossCheck.lateDrop(falling), 1e-9);
        assertEquals(0, TrainingLossCheck.lateDrop(flat), 0.03);
    }
}
