package dev.ravine.app.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ravine.app.config.ConfigException;
import dev.ravine.app.config.ConfigReader;
import dev.ravine.nn.Module;
import dev.ravine.tensor.Rng;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** affine and track_running_stats of batchnorm, layernorm and groupnorm from a config. */
class NormOptionsConfigTest {
    @TempDir
    Path dir;

    private BuiltModel build(String layers) throws Exception {
        Path file = dir.resolve("m.yaml");
        Files.writeString(file, "data: {train: idx:x}\nmodel:\n  layers:\n" + layers + "optimizer: sgd\n");
        return ModelBuilder.build(ConfigReader.read(file, List.of(), dir).model().layers(), new int[] {4, 3, 3}, new Rng(1));
    }

    @Test
    void optionsRemoveParametersAndBuffers() throws Exception {
        BuiltModel m = build("""
                    - batchnorm: {affine: false, track_running_stats: false}
                    - groupnorm: {groups: 2, affine: false}
                    - layernorm: {affine: false}
                """);
        for (Module layer : m.network().children().values()) {
            assertTrue(layer.namedParameters().isEmpty(), layer.kind() + " " + layer.namedParameters().keySet());
            assertTrue(layer.namedBuffers().isEmpty(), layer.kind() + " " + layer.namedBuffers().keySet());
        }
        assertEquals(3, build("    - batchnorm\n").network().namedBuffers().size(), "the default keeps running statistics");
        ConfigException e = assertThrows(ConfigException.class, () -> build("    - layernorm: {affine: maybe}\n"));
        assertEquals("model.layers[0].layernorm.affine: expected true or false, got 'maybe' (m.yaml line 4)", e.getMessage());
    }
}
