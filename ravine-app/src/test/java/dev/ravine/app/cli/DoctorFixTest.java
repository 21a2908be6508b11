package dev.ravine.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ravine.app.config.ConfigReader;
import dev.ravine.app.config.RunConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ravine doctor RUN --fix N} on a run that diverges (the demo's SGD at lr 1.0 with momentum 0.9, on 1,000
 * digits): it writes RUN/fix-N.yaml, the run's config with remedy N's patches, prints the command that trains it, and
 * that command trains.
 */
class DoctorFixTest {
    @TempDir
    Path dir;

    @Test
    void fixWritesThePatchedConfigBesideTheRunAndItTrains() throws Exception {
        Path config = dir.resolve("diverging.yaml");
        Files.writeString(config, """
                seed: 7
                data:
                  train: idx:%s/train
                  train_subset: 1000
                  validation_split: 0.1
                  normalize: standardize
                model:
                  input: [1, 28, 28]
                  layers:
                    - flatten
                    - linear: {out: 256, init: he_normal}
                    - relu
                    - linear: {out: 256, init: he_normal}
                    - relu
                    - linear: {out: 256, init: he_normal}
                    - relu
                    - linear: {out: 10}
                loss: cross_entropy
                optimizer: {name: sgd, lr: 1.0, momentum: 0.9}
                training: {epochs: 2, batch_size: 64}
                """.formatted(TestData.shippedMnist()));
        Path run = dir.resolve("run");
        CommandResult train = CommandResult.run("train", config.toString(), "--out", run.toString());
        assertEquals(3, train.exitCode(), train::toString);

        CommandResult doctor = CommandResult.run("doctor", run.toString(), "--fix", "1");
        assertEquals(0, doctor.exitCode(), doctor::toString);
        Path fix = run.resolve("fix-1.yaml");
        assertTrue(Files.isRegularFile(fix), doctor::toString);
        Matcher patch = Pattern.compile("(?m)^    1\\. .*\\n       --set (\\S+?)=(.*)$").matcher(doctor.out());
        assertTrue(patch.find(), doctor::toString);
        assertTrue(Files.readString(fix).contains("# ravine doctor --fix 1: "), "the file says where it came from");
        // the fix is the run's config with the patch: reading it back gives what the run's config with that --set gives
        String set = patch.group(1) + "=" + patch.group(2);
        RunConfig expected = ConfigReader.read(run.resolve("config.yaml"), List.of(set), dir);
        RunConfig written = ConfigReader.read(fix, List.of(), dir);
        assertEquals(dev.ravine.app.config.ConfigWriter.write(expected, List.of()), dev.ravine.app.config.ConfigWriter.write(written, List.of()));

        Matcher command = Pattern.compile("train it: \\./ravine train (\\S+) --out (\\S+)").matcher(doctor.out());
        assertTrue(command.find(), doctor::toString);
        CommandResult fixed = CommandResult.run("train", command.group(1), "--out", command.group(2));
        assertTrue(fixed.exitCode() == 0 || fixed.exitCode() == 3, "the fixed config is accepted and trains: " + fixed);
        long steps = new ObjectMapper().readTree(Path.of(command.group(2)).resolve("summary.json").toFile()).path("steps").asLong();
        assertTrue(steps > 0, fixed::toString);
    }

    @Test
    void aRemedyNumberOutOfRangeIsABadInput() throws Exception {
        Path config = dir.resolve("short.yaml");
        Files.writeString(config, TestData.mlpConfig("{name: adam, lr: 0.003}", 1).replace("idx:train", "idx:" + TestData.shippedMnist() + "/train")
                .replace("  test: idx:test\n", "  train_subset: 200\n"));
        Path run = dir.resolve("short");
        assertEquals(0, CommandResult.run("train", config.toString(), "--out", run.toString()).exitCode());
        CommandResult doctor = CommandResult.run("doctor", run.toString(), "--fix", "99");
        assertEquals(2, doctor.exitCode(), doctor::toString);
        assertTrue(doctor.err().contains("--fix 99: this run has no findings") || doctor.err().contains("--fix 99: this run's remedies are numbered 1 to"),
                doctor::toString);
    }
}
