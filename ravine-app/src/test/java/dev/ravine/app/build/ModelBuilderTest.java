package dev.ravine.app.build;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ravine.app.config.ConfigException;
import dev.ravine.app.config.ConfigReader;
import dev.ravine.app.config.RunConfig;
import dev.ravine.tensor.Rng;
import dev.ravine.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelBuilderTest {
    @TempDir
    Path dir;

    private BuiltModel build(String layers, int... input) throws IOException {
        Path file = dir.resolve("m.yaml");
        Files.writeString(file, "data: {train: idx:x}\nmodel:\n  layers:\n" + layers + "optimizer: sgd\n");
        RunConfig c = ConfigReader.read(file, List.of(), dir);
        return ModelBuilder.build(c.model().layers(), input, new Rng(1));
    }

    @Test
    void recurrentLayersTakeSequencesAndReturnTheLastStateOrAllOfThem() throws IOException {
        BuiltModel m = build("""
                    - lstm: {hidden: 16, layers: 2, return_sequences: true}
                    - gru: {hidden: 8}
                    - linear: {out: 1}
                """, 50, 2);
        assertArrayEquals(new int[] {1}, m.outputShape());
        assertEquals(List.of("lstm", "gru", "linear"), m.summary().stream().map(LayerSummary::kind).toList());
        assertArrayEquals(new int[] {50, 16}, m.summary().getFirst().outputShape());
        Tensor out = m.network().call(Tensor.zeros(3, 50, 2));
        assertArrayEquals(new int[] {3, 1}, out.shape());
        var e = assertThrows(RuntimeException.class, () -> build("    - rnn: {hidden: 4}\n", 1, 28, 28));
        assertTrue(e.getMessage().contains("[sequence length, features]"), e.getMessage());
    }

    @Test
    void lstmForgetBiasSetsTheForgetGateSliceOfEveryLayer() throws IOException {
        BuiltModel m = build("    - lstm: {hidden: 4, layers: 2, forget_bias: 1.0}\n", 10, 3);
        for (int k = 0; k < 2; k++) {
            float[] ih = m.network().namedParameters().get("0.bias_ih_l" + k).toArray();
            float[] hh = m.network().namedParameters().get("0.bias_hh_l" + k).toArray();
            for (int j = 0; j < 16; j++) {
                boolean forget = j >= 4 && j < 8; // gates i, f, g, o
                if (forget) {
                    assertEquals(1f, ih[j]);
                    assertEquals(0f, hh[j]);
                } else {
                    assertTrue(Math.abs(ih[j]) <= 0.5f && ih[j] != 0f, "PyTorch's uniform init elsewhere: " + ih[j]);
                }
            }
        }
        BuiltModel plain = build("    - lstm: {hidden: 4}\n", 10, 3);
        assertTrue(plain.network().namedParameters().get("0.bias_ih_l0").toArray()[4] != 1f);
        var e = assertThrows(ConfigException.class, () -> build("    - lstm: {hidden: 4, bias: false, forget_bias: 1}\n", 10, 3));
        assertTrue(e.getMessage().contains("forget_bias needs bias: true"), e.getMessage());
    }

    @Test
    void infersSizesFromTheRunningShape() throws IOException {
        BuiltModel m = build("""
                    - conv2d: {out: 8, kernel: 3, padding: 1}
                    - batchnorm
                    - relu
                    - maxpool: {kernel: 2}
                    - flatten
                    - linear: {out: 32}
                    - batchnorm
                    - linear: {out: 10}
                """, 1, 28, 28);
        assertArrayEquals(new int[] {10}, m.outputShape());
        assertEquals(List.of("conv2d", "batchnorm2d", "relu", "maxpool", "flatten", "linear", "batchnorm1d", "linear"),
                m.summary().stream().map(LayerSummary::kind).toList());
        assertArrayEquals(new int[] {8, 14, 14}, m.summary().get(3).outputShape());
        assertEquals(1, m.resolvedLayers().getFirst().integer("in"));
        assertEquals(2, m.resolvedLayers().get(3).integer("stride"), "a pool's stride defaults to its kernel");
        assertEquals(8 * 14 * 14, m.resolvedLayers().get(5).integer("in"));
        long expected = (8 * 9 + 8) + 16 + (1568 * 32 + 32) + 64 + (32 * 10 + 10);
        assertEquals(expected, m.parameterCount());
        assertEquals(expected, m.summary().stream().mapToLong(LayerSummary::parameters).sum());
        Tensor out = m.network().call(Tensor.zeros(2, 1, 28, 28));
        assertArrayEquals(new int[] {2, 10}, out.shape());
    }

    @Test
    void residualBlocksNestAndProject() throws IOException {
        BuiltModel m = build("""
                    - residual:
                        layers: [{linear: {out: 16}}, relu, {linear: {out: 16}}]
                    - residual: {layers: [{linear: {out: 8}}, gelu]}
                """, 16);
        assertArrayEquals(new int[] {8}, m.outputShape());
        assertEquals(List.of("0", "0.block.0", "0.block.1", "0.block.2", "1", "1.block.0", "1.block.1"),
                m.summary().stream().map(LayerSummary::name).toList());
        assertEquals(16 * 8, m.summary().get(4).parameters(), "the second block's projection 16 -> 8");
        assertTrue(m.network().namedParameters().containsKey("1.projection.weight"));
    }

    @Test
    void anExplicitSizeThatDoesNotFitNamesTheLayerAndLine() {
        ConfigException e = assertThrows(ConfigException.class, () -> build("""
                    - conv2d: {out: 4, kernel: 3, padding: 1}
                    - flatten
                    - linear: {in: 784, out: 10}
                """, 1, 28, 28));
        assertEquals("model.layers[2] (linear): expects 784 inputs, got 3136; its input has shape [3136] (m.yaml line 6)", e.getMessage());

        e = assertThrows(ConfigException.class, () -> build("    - maxpool: {kernel: 5}\n", 1, 3, 3));
        assertTrue(e.getMessage().startsWith("model.layers[0] (maxpool): window 5 does not fit an input of 3x3"), e.getMessage());

        e = assertThrows(ConfigException.class, () -> build("    - groupnorm: {groups: 3}\n", 8, 4, 4));
        assertTrue(e.getMessage().contains("8 channels cannot be split into 3 groups"), e.getMessage());
    }
}
