package dev.ravine.app.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** data.train_subset, data.augment, regularization.input_noise / weight_noise and adversarial: reading, writing, errors. */
class RegularizersConfigTest {
    @TempDir
    Path dir;

    private static final String BASE = """
            data:
              train: idx:data/train
            model: {input: [1, 4, 4], layers: [flatten, {linear: {out: 2}}]}
            optimizer: {name: sgd, lr: 0.1}
            """;

    private RunConfig read(String yaml) throws IOException {
        return ConfigFiles.read(dir, yaml);
    }

    private String error(String yaml) {
        return ConfigFiles.error(dir, yaml);
    }

    private RunConfig roundTrip(RunConfig c) throws IOException {
        return ConfigFiles.rewritten(dir, c);
    }

    @Test
    void absentKeysMeanNone() throws IOException {
        RunConfig c = read(BASE);
        assertNull(c.data().trainSubset());
        assertNull(c.data().augment());
        assertNull(c.adversarial());
        assertEquals(0, c.toolbox().inputNoise());
        assertEquals(0, c.toolbox().weightNoise());
        String written = ConfigWriter.write(c, List.of());
        assertTrue(!written.contains("augment") && !written.contains("adversarial") && !written.contains("train_subset"), written);
    }

    @Test
    void everyKeyIsReadAndWrittenBack() throws IOException {
        RunConfig c = read(BASE.replace("  train: idx:data/train\n", """
                  train: idx:data/train
                  train_subset: 5000
                  augment: {shift: 2, rotate: 10}
                """) + """
                regularization: {input_noise: 0.1, weight_noise: 0.01, l2: 0.0005}
                adversarial: {method: pgd, epsilon: 0.1, steps: 5, step_size: 0.03, mix: 0.5, random_start: false}
                """);
        assertEquals(5000, c.data().trainSubset());
        assertEquals(new AugmentConfig(2, 10, false), c.data().augment());
        assertEquals(0.1, c.toolbox().inputNoise());
        assertEquals(0.01, c.toolbox().weightNoise());
        assertEquals(new AdversarialConfig("pgd", 0.1, 0.5, 5, 0.03, false), c.adversarial());
        RunConfig again = roundTrip(c);
        assertEquals(c.data().trainSubset(), again.data().trainSubset());
        assertEquals(c.data().augment(), again.data().augment());
        assertEquals(c.toolbox(), again.toolbox());
        assertEquals(c.adversarial(), again.adversarial());
    }

    @Test
    void defaultsOfTheAdversarialAndAugmentSections() throws IOException {
        RunConfig c = read(BASE + "adversarial: {method: fgsm, epsilon: 0.2}\n");
        assertEquals("fgsm", c.adversarial().method());
        assertEquals(0.5, c.adversarial().mix());
        assertEquals(c.adversarial(), roundTrip(c).adversarial());
        RunConfig pgd = read(BASE + "adversarial: {method: pgd, epsilon: 0.28}\n");
        assertEquals(7, pgd.adversarial().steps());
        assertEquals(0.1, pgd.adversarial().stepSize(), 1e-12, "2.5 epsilon / steps");
        assertTrue(pgd.adversarial().randomStart());
        assertEquals(new AugmentConfig(0, 0, true), read(BASE.replace("  train: idx:data/train\n",
                "  train: idx:data/train\n  augment: {flip: true}\n")).data().augment());
    }

    @Test
    void badValuesNameTheKeyTheLineAndTheChoices() {
        String e = error(BASE + "adversarial: {method: pgdd, epsilon: 0.1}\n");
        assertTrue(e.contains("adversarial.method") && e.contains("pgdd") && e.contains("valid: fgsm, pgd") && e.contains("line 5"), e);
        e = error(BASE + "adversarial: {method: fgsm}\n");
        assertTrue(e.contains("missing required key 'epsilon' in adversarial"), e);
        e = error(BASE + "adversarial: {method: fgsm, epsilon: 0.1, steps: 3}\n");
        assertTrue(e.contains("adversarial.steps") && e.contains("pgd only"), e);
        e = error(BASE + "adversarial: {method: pgd, epsilon: 0.1, mix: 1.5}\n");
        assertTrue(e.contains("adversarial.mix") && e.contains("(0, 1]"), e);
        e = error(BASE + "adversarial: {method: pgd, epsilon: -0.1}\n");
        assertTrue(e.contains("adversarial.epsilon") && e.contains("> 0"), e);
        e = error(BASE + "adversarial: {metod: pgd, epsilon: 0.1}\n");
        assertTrue(e.contains("unknown key 'metod'") && e.contains("valid keys in adversarial: method, epsilon, mix"), e);

        e = error(BASE + "regularization: {input_noise: -0.1}\n");
        assertTrue(e.contains("regularization.input_noise") && e.contains(">= 0") && e.contains("line 5"), e);
        e = error(BASE + "regularization: {weight_nose: 0.1}\n");
        assertTrue(e.contains("unknown key 'weight_nose'") && e.contains("weight_noise"), e);

        String data = BASE.replace("  train: idx:data/train\n", "  train: idx:data/train\n  %s\n");
        e = error(data.formatted("train_subset: 0"));
        assertTrue(e.contains("data.train_subset") && e.contains("at least 1") && e.contains("line 3"), e);
        e = error(data.formatted("augment: {shift: -1}"));
        assertTrue(e.contains("data.augment.shift") && e.contains("at least 0"), e);
        e = error(data.formatted("augment: {rotate: 200}"));
        assertTrue(e.contains("data.augment.rotate") && e.contains("[0, 180]"), e);
        e = error(data.formatted("augment: {shift: 0}"));
        assertTrue(e.contains("data.augment") && e.contains("changes nothing"), e);
        e = error(data.formatted("augment: {shfit: 2}"));
        assertTrue(e.contains("unknown key 'shfit'") && e.contains("shift, rotate, flip"), e);
    }
}
