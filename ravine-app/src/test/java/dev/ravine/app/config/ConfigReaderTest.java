package dev.ravine.app.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ravine.data.Normalizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigReaderTest {
    @TempDir
    Path dir;

    /** The contract's example config, key for key. */
    private static final String FASHION = """
            seed: 7
            data:
              train: idx:path/to/fashion-mnist/train     # reads <prefix>-images-idx3-ubyte(.gz) and -labels-
              test: idx:path/to/fashion-mnist/t10k
              validation_split: 0.1
              normalize: standardize                     # none | scale01 | standardize
              shuffle: true
            model:
              input: [1, 28, 28]
              layers:
                - flatten
                - linear: {out: 512, init: he_normal}
                - batchnorm
                - relu
                - dropout: {p: 0.2}
                - linear: {out: 10}
            loss: cross_entropy
            optimizer: {name: adam, lr: 0.001}
            training: {epochs: 10, batch_size: 128}
            """;

    private RunConfig read(String yaml, String... overrides) throws IOException {
        return ConfigFiles.read(dir, yaml, overrides);
    }

    @Test
    void readsTheExampleWithEveryDefaultFilledIn() throws IOException {
        RunConfig c = read(FASHION);
        assertEquals("config", c.name());
        assertEquals(7, c.seed());
        assertEquals(DataSource.Format.IDX, c.data().train().format());
        assertEquals(dir.resolve("path/to/fashion-mnist/train"), c.data().train().path(), "relative to the config's folder");
        assertEquals(dir.resolve("path/to/fashion-mnist/t10k"), c.data().test().path());
        assertNull(c.data().validation());
        assertEquals(0.1, c.data().validationSplit());
        assertEquals(Normalizer.Kind.STANDARDIZE, c.data().normalize());
        assertTrue(c.data().shuffle());
        assertArrayEquals(new int[] {1, 28, 28}, c.model().input());

        List<LayerConfig> layers = c.model().layers();
        assertEquals(List.of(LayerKind.FLATTEN, LayerKind.LINEAR, LayerKind.BATCHNORM, LayerKind.RELU, LayerKind.DROPOUT, LayerKind.LINEAR),
                layers.stream().map(LayerConfig::kind).toList());
        assertEquals(512, layers.get(1).integer("out"));
        assertNull(layers.get(1).integer("in"), "inferred when the model is built");
        assertTrue(layers.get(1).flag("bias"));
        assertEquals("he_normal", layers.get(1).text("init"));
        assertEquals("default", layers.get(5).text("init"));
        assertEquals(1e-5, layers.get(2).number("eps"));
        assertEquals(0.1, layers.get(2).number("momentum"));
        assertEquals(0.2, layers.get(4).number("p"));
        assertEquals("model.layers[4]", layers.get(4).path());
        assertEquals(15, layers.get(4).origin().line());

        assertEquals("cross_entropy", c.loss());
        OptimizerConfig o = c.optimizer();
        assertEquals("adam", o.name());
        assertEquals(0.001, o.lr());
        assertEquals(0.9, o.beta1());
        assertEquals(0.999, o.beta2());
        assertEquals(1e-8, o.eps());
        assertEquals(0.0, o.weightDecay());
        assertFalse(o.amsgrad());

        TrainingConfig t = c.training();
        assertEquals(10, t.epochs());
        assertEquals(128, t.batchSize());
        assertEquals(0, t.checkpointEvery());
        assertFalse(t.dropLast());
        assertNull(t.threads());
        assertEquals(2, t.keepCheckpoints());
    }

    @Test
    void theWrittenConfigReadsBackTheSame() throws IOException {
        String yaml = FASHION.replace("optimizer: {name: adam, lr: 0.001}",
                        "optimizer: {name: sgd, lr: 0.05, momentum: 0.9, nesterov: true, weight_decay: 5.0e-4}")
                .replace("    - relu\n", "    - residual:\n        layers: [{linear: {out: 512}}, gelu]\n    - leaky_relu: {slope: 0.2}\n");
        RunConfig c = read(yaml);
        String written = ConfigWriter.write(c, List.of("a header"));
        assertTrue(written.startsWith("# a header\n"), written);
        assertTrue(written.contains("optimizer: {name: sgd, lr: 0.05, momentum: 0.9, dampening: 0.0, nesterov: true, weight_decay: 5.0e-4}"), written);
        RunConfig again = read(written);
        assertEquals(written, ConfigWriter.write(again, List.of("a header")));
        assertEquals(LayerKind.RESIDUAL, again.model().layers().get(3).kind());
        assertEquals(2, again.model().layers().get(3).layers().size());
        assertEquals("model.layers[3].residual.layers[1]", again.model().layers().get(3).layers().get(1).path());
    }

    @Test
    void setOverridesReplaceAddAndIndex() throws IOException {
        RunConfig c = read(FASHION, "training.epochs=1", "optimizer.betas=[0.8, 0.99]", "model.layers[1].linear.out=64",
                "training.checkpoint_every=100", "seed=11", "data.test=idx:elsewhere/t10k");
        assertEquals(1, c.training().epochs());
        assertEquals(0.8, c.optimizer().beta1());
        assertEquals(0.99, c.optimizer().beta2());
        assertEquals(64, c.model().layers().get(1).integer("out"));
        assertEquals(100, c.training().checkpointEvery());
        assertEquals(11, c.seed());
        assertEquals(dir.resolve("elsewhere/t10k"), c.data().test().path(), "--set paths resolve against the working directory");
    }

    @Test
    void problemsNameKeyLineAndSuggestion() {
        ConfigException e = assertThrows(ConfigException.class, () -> read(FASHION.replace("batch_size: 128", "batchsize: 128")));
        assertEquals(1, e.problems().size());
        assertEquals("unknown key 'batchsize' in training (config.yaml line 19); did you mean 'batch_size'? valid keys in training: "
                + "epochs, batch_size, checkpoint_every, drop_last, threads, keep_checkpoints, early_stopping", e.getMessage());

        e = assertThrows(ConfigException.class, () -> read(FASHION.replace("epochs: 10", "epochs: ten")));
        assertEquals("training.epochs: expected an integer, got 'ten' (config.yaml line 19)", e.getMessage());

        e = assertThrows(ConfigException.class, () -> read(FASHION.replace("validation_split: 0.1", "validation_split: 1.5")));
        assertEquals("data.validation_split: must be a fraction in [0, 1), got 1.5 (config.yaml line 5)", e.getMessage());

        e = assertThrows(ConfigException.class, () -> read(FASHION.replace("- dropout: {p: 0.2}", "- dropout: {rate: 0.2}")));
        assertTrue(e.getMessage().startsWith("unknown key 'rate' in model.layers[4].dropout (config.yaml line 15); valid keys in "
                + "model.layers[4].dropout: p"), e.getMessage());

        e = assertThrows(ConfigException.class, () -> read(FASHION.replace("train: idx:", "train: ")));
        assertTrue(e.getMessage().contains("data.train: 'path/to/fashion-mnist/train' does not start with a data format"), e.getMessage());

        e = assertThrows(ConfigException.class, () -> read(FASHION.replace("data:", "dat:")));
        assertEquals(2, e.problems().size(), e.getMessage());
        assertTrue(e.getMessage().contains("did you mean 'data'?"), e.getMessage());
        assertTrue(e.getMessage().contains("missing required key 'data' at the top level"), e.getMessage());

        e = assertThrows(ConfigException.class, () -> read(""));
        assertTrue(e.getMessage().contains("is empty"), e.getMessage());
    }

    @Test
    void validationSetAndSplitExcludeEachOther() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> read(FASHION.replace("  shuffle: true", "  shuffle: true\n  validation: idx:v")));
        assertTrue(e.getMessage().contains("give either data.validation"), e.getMessage());
    }

    @Test
    void nameSuggestionsAreForTyposOnly() {
        assertEquals("epochs", NameSuggestion.closest("epoch", List.of("epochs", "batch_size")));
        assertEquals("batch_size", NameSuggestion.closest("batchsize", List.of("epochs", "batch_size")));
        assertNull(NameSuggestion.closest("learning_rate", List.of("lr", "momentum")));
        assertEquals(3, NameSuggestion.distance("kitten", "sitting"));
    }
}
