package dev.ravine.app.config;

import dev.ravine.app.build.LossBuilder;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ravine.data.Dataset;
import dev.ravine.nn.loss.CrossEntropyLoss;
import dev.ravine.nn.loss.Reduction;
import dev.ravine.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The loss key with torch's options, data.sampler, their errors (key and line) and their write-back. */
class LossConfigTest {
    @TempDir
    Path dir;

    private static String config(String loss) {
        return "data: {train: 'blobs:classes=3', sampler: balanced}\nmodel:\n  layers: [{linear: {out: 3}}]\nloss: " + loss
                + "\noptimizer: sgd\n";
    }

    @Test
    void optionsAreReadBuiltAndWrittenBack() throws IOException {
        RunConfig c = ConfigFiles.read(dir, config("{name: cross_entropy, weight: [1, 2, 0.5], ignore_index: 2, label_smoothing: 0.1, reduction: sum}"));
        LossConfig l = c.lossOptions();
        assertEquals("cross_entropy", c.loss());
        assertArrayEquals(new float[] {1, 2, 0.5f}, l.weight());
        assertEquals(2, l.ignoreIndex());
        assertEquals(0.1, l.labelSmoothing());
        assertEquals(Reduction.SUM, l.reduction());
        assertTrue(c.data().balanced());
        // the built loss: row 1 is ignored (target 2), so only row 0 counts, with weight 1 and smoothing 0.1 over 3 classes
        CrossEntropyLoss loss = (CrossEntropyLoss) LossBuilder.create(l);
        Tensor logits = Tensor.of(new float[] {2, 0, 0, 0, 0, 5}, 2, 3);
        double lse = Math.log(Math.exp(2) + 2);
        double expected = 0.9 * (lse - 2) + 0.1 / 3 * (3.5 * lse - 2); // smoothing term weighted: -(1 (2 - lse) - 2 lse - 0.5 lse)
        assertEquals(expected, loss.compute(logits, Tensor.of(new float[] {0, 2}, 2)).item(), 1e-5);
        RunConfig again = ConfigFiles.rewritten(dir, c);
        assertArrayEquals(l.weight(), again.lossOptions().weight());
        assertTrue(again.data().balanced());
        assertEquals("cross_entropy", ConfigFiles.read(dir, config("cross_entropy")).lossOptions().yaml());
    }

    @Test
    void balancedWeightsComeFromTheTrainingCounts() throws IOException {
        RunConfig c = ConfigFiles.read(dir, config("{name: cross_entropy, weight: balanced}"));
        Dataset data = Dataset.classification(new float[6], new int[] {1}, new int[] {0, 0, 0, 0, 1, 2}, 3);
        LossConfig resolved = c.lossOptions().resolved(data);
        // n / (classes * count): 6 / (3 * 4), 6 / 3, 6 / 3
        assertArrayEquals(new float[] {0.5f, 2f, 2f}, resolved.weight(), 1e-6f);
        assertTrue(ConfigWriter.write(c.withLoss(resolved), java.util.List.of()).contains("loss: {name: cross_entropy, weight: [0.5, 2.0, 2.0]}"));
        Dataset regression = Dataset.regression(new float[2], new int[] {1}, new float[2], new int[] {1});
        ConfigException e = assertThrows(ConfigException.class, () -> c.lossOptions().resolved(regression));
        assertTrue(e.getMessage().contains("loss.weight: balanced"), e.getMessage());
    }

    @Test
    void badValuesNameTheKeyAndLine() {
        assertEquals("loss.reduction: none gives one loss per sample, but training needs one number per batch; use mean or sum "
                + "(config.yaml line 4)", ConfigFiles.error(dir, config("{name: mse, reduction: none}")));
        assertEquals("loss.label_smoothing: must be a number in [0, 1], got 1.5 (config.yaml line 4)",
                ConfigFiles.error(dir, config("{name: cross_entropy, label_smoothing: 1.5}")));
        assertTrue(ConfigFiles.error(dir, config("{name: mse, label_smoothing: 0.1}"))
                .startsWith("unknown key 'label_smoothing' in loss for mse (config.yaml line 4)"));
        assertTrue(ConfigFiles.error(dir, config("{name: cross_entropy, weight: [1, -2]}"))
                .startsWith("loss.weight[1]: must be a class weight >= 0, got '-2'"));
        assertTrue(ConfigFiles.error(dir, config("{name: cross_entropy, weight: equal}")).contains("unknown class weighting 'equal'"));
        assertTrue(ConfigFiles.error(dir, config("{name: bce_with_logits, pos_weight: -1}")).startsWith("loss.pos_weight: must be a weight >= 0"));
        assertTrue(ConfigFiles.error(dir, config("{weight: [1]}")).startsWith("missing required key 'name' in loss"));
        assertTrue(ConfigFiles.error(dir, config("cross_entropy").replace("sampler: balanced", "sampler: weighted"))
                .startsWith("data.sampler: unknown sampler 'weighted'; valid: random, balanced (config.yaml line 1)"));
    }
}
