package dev.ravine.app.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

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
