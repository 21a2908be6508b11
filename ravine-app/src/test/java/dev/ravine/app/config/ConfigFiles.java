package dev.ravine.app.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The config tests' shared steps: read YAML text as a config file in a folder, expect its error, write it back. */
final class ConfigFiles {
    private ConfigFiles() {}

    /** {@code yaml} written to DIR/config.yaml and read, with {@code overrides} as --set values. */
    static RunConfig read(Path dir, String yaml, String... overrides) throws IOException {
        Path file = dir.resolve("config.yaml");
        Files.writeString(file, yaml);
        return ConfigReader.read(file, List.of(overrides), dir);
    }

    /** The message of the ConfigException that reading {@code yaml} must throw. */
    static String error(Path dir, String yaml) {
        return assertThrows(ConfigException.class, () -> read(dir, yaml)).getMessage();
    }

    /** {@code c} written as the resolved config, read again, and checked to write the same text; the re-read config. */
    static RunConfig rewritten(Path dir, RunConfig c) throws IOException {
        String written = ConfigWriter.write(c, List.of());
        Files.writeString(dir.resolve("again.yaml"), written);
        RunConfig again = ConfigReader.read(dir.resolve("again.yaml"), List.of(), dir);
        assertEquals(written, ConfigWriter.write(again, List.of()));
        return again;
    }
}
