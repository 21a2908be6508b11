package dev.ravine.app.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ravine.app.ExitCode;
import dev.ravine.app.config.ConfigException;
import dev.ravine.app.config.ConfigReader;
import dev.ravine.app.config.RunConfig;
import dev.ravine.app.store.NormalizerFile;
import dev.ravine.data.Dataset;
import dev.ravine.data.IdxReader;
import dev.ravine.data.Normalizer;
import dev.ravine.data.Split;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code data.normalize: zca_whiten} through a real run: the whitening is fitted on the training part only (not the
 * validation part split from it), saved in normalizer.json with its matrix, and {@code ravine eval} re-applies it, so
 * eval reproduces the run's test accuracy exactly.
 */
class WhiteningEndToEndTest {
    @TempDir
    Path dir;

    @Test
    void evalOnASavedWhitenedRunReproducesItsTestAccuracy() throws Exception {
        // digits shrunk to 14 x 14 (2 x 2 means): a 196 x 196 covariance keeps the test fast; the fit is the same code
        writeHalfSize("train", "train", 300);
        writeHalfSize("t10k", "test", 100);
        Path config = dir.resolve("zca.yaml");
        Files.writeString(config, TestData.mlpConfig("{name: adam, lr: 0.003}", 2)
                .replace("normalize: scale01", "normalize: zca_whiten\n  whiten_epsilon: 0.2")
                .replace("input: [1, 28, 28]", "input: [1, 14, 14]"));
        Path run = dir.resolve("run");
        CommandResult train = CommandResult.run("train", config.toString(), "--out", run.toString());
        assertEquals(ExitCode.OK, train.exitCode(), train::toString);

        JsonNode summary = new ObjectMapper().readTree(run.resolve("summary.json").toFile());
        double testAccuracy = summary.get("test_accuracy").asDouble();
        assertTrue(testAccuracy > 0.3, "two epochs on 240 whitened digits should beat chance (0.1) by far: " + testAccuracy);
        assertTrue(Files.readString(run.resolve("config.yaml")).contains("normalize: zca_whiten\n  whiten_epsilon: 0.2"));

        Normalizer saved = NormalizerFile.read(run.resolve("normalizer.json"));
        assertEquals(Normalizer.Kind.ZCA_WHITEN, saved.kind());
        assertEquals(196 * 196, saved.state().get("matrix").length);
        // fitted on the training part: the 80% that validation_split 0.2 leaves with the run's seed (3)
        Dataset all = IdxReader.read(dir.resolve("train"));
        Dataset trainPart = Split.of(all, 0.2, 3).train();
        assertArrayEquals(Normalizer.fit(Normalizer.Kind.ZCA_WHITEN, trainPart, 0.2).mean(), saved.mean(), 0f);
        float[] meanOfAll = Normalizer.fit(Normalizer.Kind.STANDARDIZE, Dataset.classification(all.features(), new int[] {196},
                all.labels(), 10)).mean();
        assertTrue(maxDifference(meanOfAll, saved.mean()) > 1, "the validation part must not be part of the fit");

        CommandResult eval = CommandResult.run("eval", run.toString(), "--data", "idx:" + dir.resolve("test"));
        assertEquals(ExitCode.OK, eval.exitCode(), eval::toString);
        assertEquals(Math.round(testAccuracy * 100), correct(eval), eval::toString);
    }

    @Test
    void whitenEpsilonIsCheckedAndOnlyGoesWithAWhitening() throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, "data: {train: idx:x, normalize: standardize, whiten_epsilon: 0.1}\nmodel: {layers: [flatten]}\noptimizer: sgd\n");
        var e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class, () -> ConfigReader.read(file, List.of(), dir));
        assertTrue(e.getMessage().contains("whiten_epsilon") && e.getMessage().contains("pca_whiten or zca_whiten"), e.getMessage());
        Files.writeString(file, "data: {train: idx:x, normalize: pca_whiten, whiten_epsilon: -1}\nmodel: {layers: [flatten]}\noptimizer: sgd\n");
        e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class, () -> ConfigReader.read(file, List.of(), dir));
        assertTrue(e.getMessage().contains("whiten_epsilon") && e.getMessage().contains(">= 0"), e.getMessage());
        Files.writeString(file, "data: {train: idx:x, normalize: whiten}\nmodel: {layers: [flatten]}\noptimizer: sgd\n");
        e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class, () -> ConfigReader.read(file, List.of(), dir));
        assertTrue(e.getMessage().contains("zca_whiten") && e.getMessage().contains("line 1"), e.getMessage());
        Files.writeString(file, "data: {train: idx:x, normalize: zca_whiten, augment: {shift: 2}}\nmodel: {layers: [flatten]}\noptimizer: sgd\n");
        e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class, () -> ConfigReader.read(file, List.of(), dir));
        assertTrue(e.getMessage().contains("data.augment") && e.getMessage().contains("use standardize or scale01"), e.getMessage());
        Files.writeString(file, "data: {train: idx:x, normalize: pca}\nmodel: {layers: [flatten]}\noptimizer: sgd\n");
        RunConfig ok = ConfigReader.read(file, List.of(), dir);
        assertEquals(Normalizer.Kind.PCA, ok.data().normalize());
        assertEquals(Normalizer.DEFAULT_WHITEN_EPSILON, ok.data().whitenEpsilon());
    }

    private void writeHalfSize(String split, String prefix, int count) throws Exception {
        Dataset full = IdxReader.read(TestData.shippedMnist().resolve(split));
        float[] half = new float[count * 196];
        float[] x = full.features();
        for (int s = 0; s < count; s++) {
            for (int r = 0; r < 14; r++) {
                for (int c = 0; c < 14; c++) {
                    int p = s * 784 + 2 * r * 28 + 2 * c;
                    half[s * 196 + r * 14 + c] = (float) Math.floor((x[p] + x[p + 1] + x[p + 28] + x[p + 29]) / 4);
                }
            }
        }
        TestData.writeIdx(dir, prefix, half, java.util.Arrays.copyOf(full.labels(), count), 14, 14);
    }

    private static double maxDifference(float[] a, float[] b) {
        double worst = 0;
        for (int i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
        return worst;
    }

    private static long correct(CommandResult eval) {
        Matcher m = Pattern.compile("accuracy [0-9.]+% \\((\\d+)/(\\d+) correct\\)").matcher(eval.out());
        assertTrue(m.find(), eval::toString);
        return Long.parseLong(m.group(1));
    }
}
