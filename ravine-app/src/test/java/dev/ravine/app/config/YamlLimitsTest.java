package dev.ravine.app.config;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A configuration cannot make the reader hang, recurse without end or run out of memory. */
class YamlLimitsTest {
    @TempDir
    Path dir;

    private static void assertContains(String message, String... parts) {
        for (String part : parts) assertTrue(message.contains(part), "message lacks '" + part + "': " + message);
    }

    /** 24 aliases, each doubling the one before: 2^24 values once expanded, from 25 short lines. */
    @Test
    void aliasesThatMultiplyAreRefusedQuickly() {
        StringBuilder yaml = new StringBuilder("a0: &a0 [x]\n");
        for (int i = 1; i <= 24; i++) yaml.append("a").append(i).append(": &a").append(i).append(" [*a").append(i - 1)
                .append(", *a").append(i - 1).append("]\n");
        String message = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> ConfigFiles.error(dir, yaml.toString()));
        assertContains(message, "expands to more than 100000 values", "aliases");
    }

    @Test
    void aListThatContainsItselfIsRefused() {
        assertContains(ConfigFiles.error(dir, "seed: &s [1, *s]\n"), "contains itself through an alias", "line 1");
        assertContains(ConfigFiles.error(dir, "seed: 1\nmodel: &m {layers: [*m]}\n"), "contains itself", "line 2");
    }

    @Test
    void aHugeScalarIsQuotedShortenedNotWhole() {
        String message = ConfigFiles.error(dir, "loss: " + "x".repeat(500_000) + "\n");
        assertContains(message, "unknown loss 'xxxxxxxxxx", "(500000 characters in all)");
        assertTrue(message.length() < 2000, "message of " + message.length() + " characters");
    }

    @Test
    void aFileTooLargeForAConfigIsRefusedBeforeParsing() throws IOException {
        Path file = dir.resolve("big.yaml");
        Files.writeString(file, "loss: " + "y".repeat(5 * YamlLimits.CODE_POINTS) + "\n");
        String message = assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> assertThrows(ConfigException.class, () -> ConfigReader.read(file, List.of(), dir)).getMessage());
        assertContains(message, "big.yaml is too large for a configuration", "the limit is 1048576 characters");
        String overLimit = "loss: " + "z".repeat(YamlLimits.CODE_POINTS) + "\n"; // under the file-size bound, over the text one
        assertContains(ConfigFiles.error(dir, overLimit), "too large for a configuration");
    }

    @Test
    void hugeListIndexAndThreadCountGetClearMessages() {
        String yaml = "data: {train: 'synthetic:blobs(n=8, features=2, classes=2)'}\nmodel: {layers: [{linear: {out: 2}}]}\n"
                + "optimizer: {name: sgd, lr: 0.1}\n";
        assertContains(assertThrows(ConfigException.class, () -> ConfigFiles.read(dir, yaml, "model.layers[99999999999]=relu"))
                .getMessage(), "list index 99999999999 is too large");
        assertContains(assertThrows(ConfigException.class, () -> ConfigFiles.read(dir, yaml, "training.threads=40000"))
                .getMessage(), "training.threads: must be at most 32767", "got 40000");
    }

    @Test
    void nonUtf8ConfigNamesTheLine() throws IOException {
        Path file = dir.resolve("latin1.yaml");
        Files.write(file, "seed: 1\n# caf\u00e9\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        String message = assertThrows(ConfigException.class, () -> ConfigReader.read(file, List.of(), dir)).getMessage();
        assertContains(message, "is not UTF-8 text at line 2 (byte 0xE9");
    }
}
