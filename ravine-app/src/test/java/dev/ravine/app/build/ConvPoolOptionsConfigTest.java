package dev.ravine.app.build;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ravine.app.config.ConfigException;
import dev.ravine.app.config.ConfigReader;
import dev.ravine.app.config.ConfigWriter;
import dev.ravine.app.config.RunConfig;
import dev.ravine.tensor.Rng;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** conv2d dilation / groups / padding: same and the pooling options from a config: shapes, parameter counts, errors. */
class ConvPoolOptionsConfigTest {
    @TempDir
    Path dir;

    private RunConfig read(String layers) throws Exception {
        Path file = dir.resolve("m.yaml");
        Files.writeString(file, "data: {train: idx:x}\nmodel:\n  layers:\n" + layers + "optimizer: sgd\n");
        return ConfigReader.read(file, List.of(), dir);
    }

    @Test
    void optionsShapeTheModel() throws Exception {
        RunConfig c = read("""
                    - conv2d: {out: 8, kernel: 4, padding: same, groups: 2, bias: false}
                    - conv2d: {out: 8, kernel: 3, dilation: 2, groups: 8}
                    - maxpool: {kernel: 2, ceil_mode: true}
                    - avgpool: {kernel: 3, stride: 2, padding: 1, count_include_pad: false}
                """);
        BuiltModel m = ModelBuilder.build(c.model().layers(), new int[] {2, 9, 9}, new Rng(1));
        // same keeps 9x9; dilation 2 spreads the kernel to 5: 5x5; ceil pooling 3x3; avg pool (3 + 2 - 3) / 2 + 1 = 2
        assertArrayEquals(new int[] {8, 2, 2}, m.outputShape());
        assertEquals(8 * 1 * 4 * 4, m.network().children().get("0").parameterCount(), "a grouped weight is [out, in / groups, k, k]");
        assertEquals(8 * 3 * 3 + 8, m.network().children().get("1").parameterCount(), "depthwise: one 3x3 kernel per channel");
        String written = ConfigWriter.write(c.withModel(c.model().with(m.inputShape(), m.resolvedLayers())), List.of());
        assertTrue(written.contains("padding: same, dilation: 1, groups: 2"), written);
    }

    @Test
    void badValuesNameLayerKeyAndLine() {
        ConfigException e = assertThrows(ConfigException.class, () -> read("    - conv2d: {out: 4, kernel: 3, padding: half}\n"));
        assertEquals("model.layers[0].conv2d.padding: expected an integer >= 0 or same, got 'half' (m.yaml line 4)", e.getMessage());
        e = assertThrows(ConfigException.class, () -> ModelBuilder.build(read("    - conv2d: {out: 4, kernel: 3, groups: 3}\n").model().layers(),
                new int[] {2, 5, 5}, new Rng(1)));
        assertTrue(e.getMessage().startsWith("model.layers[0] (conv2d): conv2d needs dilation >= 1 and groups >= 1 dividing both in (2)"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> ModelBuilder.build(read("    - conv2d: {out: 4, kernel: 3, stride: 2, padding: same}\n")
                .model().layers(), new int[] {2, 5, 5}, new Rng(1)));
        assertTrue(e.getMessage().contains("padding: same needs stride 1"), e.getMessage());
    }
}
