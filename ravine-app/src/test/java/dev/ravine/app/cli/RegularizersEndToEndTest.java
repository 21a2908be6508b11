package dev.ravine.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ravine.app.ExitCode;
import dev.ravine.app.TextFormat;
import dev.ravine.data.Dataset;
import dev.ravine.data.GaussianBlobs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real runs with the in-step regularizers, eval on the clean training part, and a tiny ensemble on synthetic data. */
class RegularizersEndToEndTest {
    @TempDir
    Path dir;

    @Test
    void aRunWithEveryRegularizerTrainsOnTheSubsetAndEvaluatesOnItsCleanTrainingPart() throws Exception {
        TestData.writeSubset(dir, "train", "train", 300);
        TestData.writeSubset(dir, "t10k", "test", 50);
        String yaml = TestData.mlpConfig("{name: adam, lr: 0.003}", 2)
                .replace("  validation_split: 0.2\n", "  train_subset: 120\n  augment: {shift: 2, rotate: 10}\n")
                + """
                regularization: {input_noise: 0.1, weight_noise: 0.01}
                adversarial: {method: pgd, epsilon: 0.1, steps: 2, mix: 0.5}
                """;
        Path config = dir.resolve("aids.yaml");
        Files.writeString(config, yaml);
        Path run = dir.resolve("run");
        CommandResult train = CommandResult.run("train", config.toString(), "--out", run.toString());
        assertEquals(ExitCode.OK, train.exitCode(), train::toString);
        JsonNode summary = new ObjectMapper().readTree(run.resolve("summary.json").toFile());
        assertEquals(6, summary.get("steps").asInt(), "120 samples in batches of 50, 2 epochs: " + summary);
        assertTrue(train.out().contains("per step:  augment (shift 2 px, rotate 10 deg), input noise 0.1, PGD epsilon 0.1 (2 steps of 0.125)"
                + " on 50% of each batch, weight noise 0.01"), train::toString);
        String written = Files.readString(run.resolve("config.yaml"));
        assertTrue(written.contains("train_subset: 120") && written.contains("augment: {shift: 2, rotate: 10.0, flip: false}")
                && written.contains("input_noise: 0.1") && written.contains("adversarial: {method: pgd"), written);

        CommandResult eval = CommandResult.run("eval", run.toString(), "--split", "train");
        assertEquals(ExitCode.OK, eval.exitCode(), eval::toString);
        assertTrue(eval.out().contains("the run's train data, 120 samples"), eval::toString);
        Files.writeString(config, yaml.replace("train_subset: 120", "train_subset: 301"));
        CommandResult tooMany = CommandResult.run("train", config.toString(), "--out", dir.resolve("too-many").toString());
        assertEquals(ExitCode.BAD_INPUT, tooMany.exitCode(), tooMany::toString);
        assertTrue(tooMany.err().contains("data.train_subset: 301 is more than the 300 samples") && tooMany.err().contains("line 3"),
                tooMany::toString);
        CommandResult attacked = CommandResult.run("eval", run.toString(), "--attack", "pgd", "--epsilon", "0.2", "--steps", "3");
        assertEquals(ExitCode.OK, attacked.exitCode(), attacked::toString);
        assertTrue(attacked.out().contains("under PGD epsilon 0.2 (3 steps of"), attacked::toString);
        CommandResult noEpsilon = CommandResult.run("eval", run.toString(), "--attack", "fgsm");
        assertEquals(ExitCode.BAD_INPUT, noEpsilon.exitCode(), noEpsilon::toString);
        assertTrue(noEpsilon.err().contains("needs --epsilon"), noEpsilon::toString);
        CommandResult bad = CommandResult.run("eval", run.toString(), "--split", "validation");
        assertEquals(ExitCode.BAD_INPUT, bad.exitCode(), bad::toString);
        assertTrue(bad.err().contains("no validation data"), bad::toString);
    }

    @Test
    void augmentationOfNonImageDataStopsBeforeTheRunFolderIsMade() throws Exception {
        writeBlobs(dir.resolve("blobs.csv"), GaussianBlobs.generate(40, 1));
        writeBlobs(dir.resolve("blobs-test.csv"), GaussianBlobs.generate(20, 2));
        Path config = dir.resolve("flat.yaml");
        Files.writeString(config, blobConfig().replace("  label: y\n", "  label: y\n  augment: {shift: 1}\n"));
        Path run = dir.resolve("run");
        CommandResult r = CommandResult.run("train", config.toString(), "--out", run.toString());
        assertEquals(ExitCode.BAD_INPUT, r.exitCode(), r::toString);
        assertTrue(r.err().contains("data.augment works on images") && r.err().contains("[6]") && r.err().contains("line 3"), r::toString);
        assertFalse(Files.exists(run), "no run folder for a config that cannot work");
    }

    @Test
    void aTinyEnsembleTrainsEachMemberAndScoresTheMeanOfTheirProbabilities() throws Exception {
        writeBlobs(dir.resolve("blobs.csv"), GaussianBlobs.generate(120, 1));
        writeBlobs(dir.resolve("blobs-test.csv"), GaussianBlobs.generate(60, 2));
        Path config = dir.resolve("blobs.yaml");
        Files.writeString(config, blobConfig());
        Path out = dir.resolve("ens");
        CommandResult r = CommandResult.run("ensemble", config.toString(), "--members", "3", "--out", out.toString());
        assertEquals(ExitCode.OK, r.exitCode(), r::toString);
        JsonNode json = new ObjectMapper().readTree(out.resolve("ensemble.json").toFile());
        assertEquals(3, json.get("members").size(), json::toString);
        for (int i = 0; i < 3; i++) {
            JsonNode m = json.get("members").get(i);
            assertEquals("member-" + (i + 1), m.get("run").asText());
            assertEquals(5 + i, m.get("seed").asInt(), "seeds seed..seed+N-1");
            JsonNode summary = new ObjectMapper().readTree(out.resolve("member-" + (i + 1)).resolve("summary.json").toFile());
            assertEquals(summary.get("test_accuracy").asDouble(), m.get("test_accuracy").asDouble(), 1e-12,
                    "the member's own run scored the same test accuracy");
            assertTrue(m.get("train_accuracy").asDouble() > 0.5, m::toString);
            assertEquals(summary.get("test_loss").asDouble(), m.get("test_loss").asDouble(), 1e-5, "the same cross-entropy");
        }
        double ensembleTest = json.get("ensemble").get("test_accuracy").asDouble();
        assertTrue(ensembleTest > 0.5 && json.get("ensemble").hasNonNull("train_accuracy"), json::toString);
        assertTrue(r.out().contains("ensemble") && r.out().contains(TextFormat.percent(ensembleTest)), r::toString);
        assertFalse(json.get("members").get(0).get("test_accuracy").asDouble() == json.get("members").get(1).get("test_accuracy").asDouble()
                && json.get("members").get(1).get("test_accuracy").asDouble() == json.get("members").get(2).get("test_accuracy").asDouble()
                && Files.readString(out.resolve("member-1/config.yaml")).equals(Files.readString(out.resolve("member-2/config.yaml"))),
                "members differ");

        CommandResult regression = CommandResult.run("ensemble", config.toString(), "--members", "2", "--set", "loss=mse",
                "--out", dir.resolve("reg").toString());
        assertEquals(ExitCode.BAD_INPUT, regression.exitCode(), regression::toString);
        assertTrue(regression.err().contains("classification loss"), regression::toString);
    }

    private static String blobConfig() {
        return """
                seed: 5
                data:
                  train: csv:blobs.csv
                  test: csv:blobs-test.csv
                  label: y
                  normalize: standardize
                model: {layers: [{linear: {out: 16}}, relu, {linear: {out: 3}}]}
                optimizer: {name: adam, lr: 0.01}
                training: {epochs: 3, batch_size: 20}
                doctor: {enabled: false}
                """;
    }

    private static void writeBlobs(Path file, Dataset d) throws Exception {
        StringBuilder csv = new StringBuilder("f0,f1,f2,f3,f4,f5,y\n");
        int[] labels = d.labels();
        for (int i = 0; i < d.size(); i++) {
            for (int j = 0; j < 6; j++) csv.append(String.format(Locale.ROOT, "%.6f,", d.features()[i * 6 + j]));
            csv.append(labels[i]).append('\n');
        }
        Files.writeString(file, csv);
    }
}
