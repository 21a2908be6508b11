package dev.ravine.app.build;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ravine.app.config.ConfigException;
import dev.ravine.app.config.ConfigReader;
import dev.ravine.nn.Recurrent;
import dev.ravine.tensor.Rng;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bidirectional and dropout of rnn / lstm / gru from a config. */
class RecurrentOptionsConfigTest {
    @TempDir
    Path dir;

    private BuiltModel build(String layers) throws Exception {
        Path file = dir.resolve("m.yaml");
        Files.writeString(file, "data: {train: idx:x}\nmodel:\n  layers:\n" + layers + "optimizer: sgd\n");
        return ModelBuilder.build(ConfigReader.read(file, List.of(), dir).model().layers(), new int[] {7, 3}, new Rng(1));
    }

    @Test
    void bidirectionalDoublesTheOutputAndAddsReverseWeights() throws Exception {
        BuiltModel m = build("    - lstm: {hidden: 5, layers: 2, bidirectional: true, dropout: 0.2, return_sequences: true}\n    - gru: {hidden: 4, bidirectional: true}\n");
        assertArrayEquals(new int[] {8}, m.outputShape());
        Recurrent lstm = (Recurrent) m.network().children().get("0");
        assertEquals(0.2, lstm.options().dropout());
        assertTrue(lstm.namedParameters().containsKey("weight_ih_l1_reverse"), lstm.namedParameters().keySet().toString());
        assertArrayEquals(new int[] {20, 10}, lstm.namedParameters().get("weight_ih_l1").shape(), "layer 1 reads both directions");
        ConfigException e = assertThrows(ConfigException.class, () -> build("    - rnn: {hidden: 4, dropout: 1}\n"));
        assertEquals("model.layers[0].rnn.dropout: must be a probability in [0, 1), got 1 (m.yaml line 4)", e.getMessage());
    }
}
