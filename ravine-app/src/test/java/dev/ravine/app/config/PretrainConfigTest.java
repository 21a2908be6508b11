package dev.ravine.app.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ravine.pretrain.RbmOptions;
import dev.ravine.pretrain.VisibleUnits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pretrain section: defaults, every option, writing back, and the errors. */
class PretrainConfigTest {
    @TempDir
    Path dir;

    private static final String BASE = """
            data: {train: idx:data/train}
            model: {input: [4], layers: [{linear: {out: 3}}, sigmoid, {linear: {out: 2}}]}
            optimizer: {name: sgd, lr: 0.1}
            """;

    private RunConfig read(String yaml, String... overrides) throws IOException {
        return ConfigFiles.read(dir, yaml, overrides);
    }

    @Test
    void absentMeansNoPretraining() throws IOException {
        assertNull(read(BASE).pretrain());
    }

    @Test
    void defaultsAreCd1ForFiveEpochsOnBernoulliUnits() throws IOException {
        PretrainConfig p = read(BASE + "pretrain: {method: rbm}\n").pretrain();
        assertEquals("rbm", p.method());
        assertEquals(RbmOptions.defaults(), p.options());
        assertEquals(VisibleUnits.BERNOULLI, p.visible());
        assertEquals(4, p.origin().line());
    }

    @Test
    void everyOptionIsReadAndWrittenBack() throws IOException {
        RunConfig c = read(BASE + """
                pretrain:
                  method: rbm
                  cd_k: 3
                  persistent: true
                  epochs: 2
                  lr: 0.01
                  momentum: 0.9
                  weight_decay: 0.0002
                  batch_size: 10
                  visible: gaussian
                """, "pretrain.epochs=4");
        assertEquals(new RbmOptions(3, true, 4, 0.01, 0.9, 0.0002, 10), c.pretrain().options());
        assertEquals(VisibleUnits.GAUSSIAN, c.pretrain().visible());
        String written = ConfigWriter.write(c, List.of());
        assertTrue(written.contains("pretrain: {method: rbm, cd_k: 3, persistent: true, epochs: 4, lr: 0.01, momentum: 0.9, "
                + "weight_decay: 2.0e-4, batch_size: 10, visible: gaussian}\n"), written);
        Path again = dir.resolve("again.yaml");
        Files.writeString(again, written);
        assertEquals(c.pretrain().options(), ConfigReader.read(again, List.of(), dir).pretrain().options());
    }

    @Test
    void badValuesAreReportedTogetherWithTheirLinesAndChoices() throws IOException {
        ConfigException e = assertThrows(ConfigException.class, () -> read(BASE + """
                pretrain:
                  method: autoencoder
                  cd_k: 0
                  momentum: 1.5
                  visible: binary
                  sampling: gibbs
                """));
        String m = e.getMessage();
        assertTrue(m.contains("pretrain.method: unknown pre-training method 'autoencoder'; valid: rbm (config.yaml line 5)"), m);
        assertTrue(m.contains("pretrain.cd_k: must be an integer of at least 1, got 0 (config.yaml line 6)"), m);
        assertTrue(m.contains("pretrain.momentum: must be a number in [0, 1), got 1.5 (config.yaml line 7)"), m);
        assertTrue(m.contains("pretrain.visible: unknown visible unit kind 'binary'; valid: bernoulli, gaussian (config.yaml line 8)"), m);
        assertTrue(m.contains("unknown key 'sampling' in pretrain (config.yaml line 9); valid keys in pretrain: method, cd_k, "
                + "persistent, epochs, lr, momentum, weight_decay, batch_size, visible"), m);
    }

    @Test
    void theMethodIsRequired() throws IOException {
        ConfigException e = assertThrows(ConfigException.class, () -> read(BASE + "pretrain: {epochs: 3}\n"));
        assertTrue(e.getMessage().contains("missing required key 'method' in pretrain (config.yaml line 4): the pre-training "
                + "method: rbm"), e.getMessage());
    }
}
