package dev.ravine.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ravine.app.ExitCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kind of bad input ends the command with exit code 2 and one clear message on stderr that names the key, file
 * and line (or the file, or the shape), with no stack trace, and without creating a run folder.
 */
class BadInputTest {
    @TempDir
    static Path dir;

    private static final String GOOD = """
            seed: 3
            data:
              train: idx:train
              test: idx:test
              normalize: scale01
            model:
              input: [1, 28, 28]
              layers:
                - flatten
                - linear: {out: 16, init: he_normal}
                - relu
                - linear: {out: 10}
            loss: cross_entropy
            optimizer: {name: adam, lr: 0.001}
            training:
              epochs: 1
              batch_size: 50
            """;

    @BeforeAll
    static void data() throws IOException {
        TestData.writeSubset(dir, "train", "train", 100);
        TestData.writeSubset(dir, "t10k", "test", 50);
    }

    @Test
    void theExampleConfigShapeTrains() throws IOException {
        CommandResult r = train(GOOD);
        assertEquals(ExitCode.OK, r.exitCode(), r::toString);
    }

    @Test
    void unknownKeyNamesTheKeyTheClosestValidOneAndTheLine() throws IOException {
        CommandResult r = train(GOOD.replace("  epochs: 1", "  epoch: 1"));
        expectBadInput(r, "unknown key 'epoch' in training", "did you mean 'epochs'?",
                "valid keys in training: epochs, batch_size, checkpoint_every, drop_last, threads, keep_checkpoints",
                "bad.yaml line " + lineOf(GOOD, "  epochs: 1"));
        CommandResult top = train(GOOD.replace("optimizer:", "optimiser:"));
        expectBadInput(top, "unknown key 'optimiser' at the top level", "did you mean 'optimizer'?", "missing required key 'optimizer'");
    }

    @Test
    void wrongTypeSaysWhatWasExpected() throws IOException {
        CommandResult r = train(GOOD.replace("  epochs: 1", "  epochs: ten"));
        expectBadInput(r, "training.epochs: expected an integer, got 'ten' (", "bad.yaml line " + lineOf(GOOD, "  epochs: 1") + ")");
        expectBadInput(train(GOOD.replace("lr: 0.001", "lr: fast")), "optimizer.lr: expected a number, got 'fast'");
        expectBadInput(train(GOOD.replace("lr: 0.001", "lr: 1e400")),
                "optimizer.lr: is out of range: '1e400' is beyond the largest number a double holds");
        expectBadInput(train(GOOD.replace("  batch_size: 50", "  batch_size: 0")), "training.batch_size: must be an integer of at least 1, got 0");
        expectBadInput(train(GOOD.replace("  batch_size: 50", "  batch_size: 3000000000")),
                "training.batch_size: is out of range: 3000000000 is above the largest allowed, 2147483647");
        expectBadInput(train(GOOD.replace("  epochs: 1", "  epochs: 99999999999999999999")),
                "training.epochs: is out of range: '99999999999999999999' is above the largest allowed");
        expectBadInput(train(GOOD.replace("input: [1, 28, 28]", "input: 784")), "model.input: expected a list");
    }

    @Test
    void workersWithoutSparkIsRefusedBeforeTraining() throws IOException {
        CommandResult r = CommandResult.run("train", write(GOOD).toString(), "--workers", "2", "--out", dir.resolve("runs/workers").toString());
        expectBadInput(r, "--workers is the number of Spark replicas: give --spark MASTER too", "training.threads");
        assertFalse(Files.exists(dir.resolve("runs/workers")), "a refused run left a folder");
    }

    @Test
    void missingRequiredKeyIsNamed() throws IOException {
        expectBadInput(train(GOOD.replace("  train: idx:train\n", "")), "missing required key 'train' in data");
        expectBadInput(train(GOOD.replace("- linear: {out: 10}", "- linear: {bias: false}")),
                "model.layers[3] (linear): missing required option 'out'");
    }

    @Test
    void unknownNamesListTheValidOnes() throws IOException {
        expectBadInput(train(GOOD.replace("- linear: {out: 10}", "- linaer: {out: 10}")),
                "model.layers[3]: unknown layer 'linaer'", "did you mean 'linear'?", "valid layers: flatten, linear, conv2d",
                "line " + lineOf(GOOD, "- linear: {out: 10}"));
        expectBadInput(train(GOOD.replace("loss: cross_entropy", "loss: crossentropy")),
                "loss: unknown loss 'crossentropy'", "did you mean 'cross_entropy'?", "valid: cross_entropy, nll, mse");
        expectBadInput(train(GOOD.replace("name: adam", "name: adamx")), "optimizer.name: unknown optimizer 'adamx'", "valid: sgd, adam, adamw");
        expectBadInput(train(GOOD.replace("init: he_normal", "init: he_norml")),
                "unknown initializer 'he_norml'", "did you mean 'he_normal'?", "xavier_uniform");
        expectBadInput(train(GOOD.replace("normalize: scale01", "normalize: zscore")), "unknown normalization 'zscore'", "standardize");
        expectBadInput(train(GOOD.replace("lr: 0.001", "lr: 0.001, momentum: 0.9")),
                "unknown key 'momentum' in optimizer for adam", "valid keys in optimizer for adam: name, lr, betas, eps, weight_decay, amsgrad");
    }

    @Test
    void allProblemsAreReportedTogether() throws IOException {
        CommandResult r = train(GOOD.replace("  epochs: 1", "  epochs: ten").replace("loss: cross_entropy", "loss: l2")
                .replace("- relu", "- relux"));
        expectBadInput(r, "3 problems in the configuration", "training.epochs", "unknown loss 'l2'", "unknown layer 'relux'");
    }

    @Test
    void yamlSyntaxErrorsGiveTheLine() throws IOException {
        expectBadInput(train(GOOD.replace("  batch_size: 50", "  batch_size: [50")), "YAML syntax error at ", "bad.yaml line");
        expectBadInput(train(GOOD + "seed: 4\n"), "key 'seed' appears twice");
        expectBadInput(CommandResult.run("train", dir.resolve("absent.yaml").toString()), "absent.yaml does not exist");
    }

    @Test
    void aLayerThatCannotTakeItsInputNamesTheLayerAndLine() throws IOException {
        String conv = GOOD.replace("    - flatten\n    - linear: {out: 16, init: he_normal}\n",
                "    - conv2d: {out: 4, kernel: 3, padding: 1}\n    - flatten\n    - linear: {in: 784, out: 16}\n");
        expectBadInput(train(conv), "model.layers[2] (linear): expects 784 inputs, got 3136",
                "bad.yaml line " + lineOf(conv, "- linear: {in: 784, out: 16}"));
        expectBadInput(train(GOOD.replace("- relu", "- conv2d: {out: 3, kernel: 3}")),
                "model.layers[2] (conv2d): expects an input [channels, height, width], got [16]");
        expectBadInput(train(GOOD.replace("    - flatten\n", "")),
                "the model's output has shape [1, 28, 10] per sample", "add a flatten layer");
        expectBadInput(train(GOOD.replace("- linear: {out: 10}", "- linear: {out: 5}")),
                "the model's output has 5 values per sample but the data has 10 classes");
        expectBadInput(train(GOOD.replace("input: [1, 28, 28]", "input: [1, 32, 32]")),
                "model.input: is [1, 32, 32] but the samples of data.train", "have shape [1, 28, 28]");
    }

    @Test
    void missingCorruptOrMismatchedDataFilesAreExplained() throws IOException {
        expectBadInput(train(GOOD.replace("idx:train", "idx:nowhere/train")), "no images file for", "nowhere");

        Path corrupt = dir.resolve("corrupt");
        Files.createDirectories(corrupt);
        Files.write(corrupt.resolve("train-images-idx3-ubyte"), "this is not an IDX file".getBytes());
        Files.copy(dir.resolve("train-labels-idx1-ubyte"), corrupt.resolve("train-labels-idx1-ubyte"));
        expectBadInput(train(GOOD.replace("idx:train", "idx:corrupt/train")), "bad magic number");

        Path mismatch = dir.resolve("mismatch");
        Files.createDirectories(mismatch);
        float[] pixels = new float[10 * 28 * 28];
        TestData.writeIdx(mismatch, "train", pixels, new int[9], 28, 28);
        expectBadInput(train(GOOD.replace("idx:train", "idx:mismatch/train")), "holds 9 labels but images file", "holds 10 images");
    }

    @Test
    void nanOrInfinityInTheDataIsFound() throws IOException {
        Files.writeString(dir.resolve("table.csv"), "a,b,y\n1,2,0\n3,nan,1\n5,6,0\n");
        String csv = """
                data: {train: csv:table.csv, label: y}
                model: {layers: [{linear: {out: 2}}]}
                optimizer: {name: sgd, lr: 0.1}
                training: {epochs: 1, batch_size: 2}
                """;
        expectBadInput(train(csv), "train data (csv:", "NaN at sample 1, feature 1");
        expectBadInput(train(csv.replace(", label: y", "")), "missing required key 'label' in data");
    }

    @Test
    void setOverridesAreCheckedLikeTheFile() throws IOException {
        Path config = write(GOOD);
        expectBadInput(CommandResult.run("train", config.toString(), "--set", "training.epoch=3"),
                "unknown key 'epoch' in training (--set training.epoch=3)", "did you mean 'epochs'?");
        expectBadInput(CommandResult.run("train", config.toString(), "--set", "trainig.epochs=3"),
                "unknown key 'trainig' at the top level (--set trainig.epochs=3)", "did you mean 'training'?");
        expectBadInput(CommandResult.run("train", config.toString(), "--set", "model.layers[9].linear.out=3"),
                "--set model.layers[9].linear.out=3: 'model.layers' has 4 items");
        expectBadInput(CommandResult.run("train", config.toString(), "--set", "training.epochs=many"),
                "training.epochs: expected an integer, got 'many' (--set training.epochs=many)");
        expectBadInput(CommandResult.run("train", config.toString(), "--set", "epochs"), "expected key.path=value");
    }

    @Test
    void commandLineMistakesAndEvalOfANonRunAreBadInputToo() throws IOException {
        CommandResult unknown = CommandResult.run("train", "--epochs", "3");
        assertEquals(ExitCode.BAD_INPUT, unknown.exitCode(), unknown::toString);
        assertTrue(unknown.err().contains("Try 'ravine train --help'"), unknown::toString);
        expectBadInput(CommandResult.run("eval", dir.toString()), "is not a run folder: it has no config.yaml");
        expectBadInput(CommandResult.run("eval", dir.resolve("nothing-here").toString()), "does not exist");
        CommandResult none = CommandResult.run();
        assertEquals(ExitCode.BAD_INPUT, none.exitCode());
    }

    @Test
    void helpAndVersion() {
        CommandResult help = CommandResult.run("--help");
        assertEquals(ExitCode.OK, help.exitCode());
        for (String s : new String[] {"train", "eval", "demo", "Exit codes", "diverged"}) assertTrue(help.out().contains(s), help::toString);
        CommandResult trainHelp = CommandResult.run("train", "--help");
        assertEquals(ExitCode.OK, trainHelp.exitCode());
        assertTrue(trainHelp.out().contains("--set=KEY.PATH=VALUE"), trainHelp::toString);
        CommandResult version = CommandResult.run("--version");
        assertEquals(ExitCode.OK, version.exitCode());
        assertTrue(version.out().startsWith("ravine "), version::toString);
    }

    // ------------------------------------------------------------------ helpers

    private static int counter;

    private static CommandResult train(String config) throws IOException {
        return CommandResult.run("train", write(config).toString(), "--out", dir.resolve("runs/run-" + counter).toString());
    }

    private static Path write(String config) throws IOException {
        counter++;
        Path sub = dir.resolve("cfg" + counter);
        Files.createDirectories(sub);
        // the data prefixes in the configs are relative to the config's folder: link the data files next to it
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) Files.copy(f, sub.resolve(f.getFileName()));
        }
        for (String d : new String[] {"corrupt", "mismatch"}) {
            if (Files.isDirectory(dir.resolve(d))) Files.createSymbolicLink(sub.resolve(d), dir.resolve(d));
        }
        Path file = sub.resolve("bad.yaml");
        Files.writeString(file, config);
        return file;
    }

    private static int lineOf(String text, String fragment) {
        List<String> lines = Arrays.asList(text.split("\n", -1));
        for (int i = 0; i < lines.size(); i++) if (lines.get(i).contains(fragment)) return i + 1;
        throw new AssertionError("no line contains " + fragment);
    }

    private static void expectBadInput(CommandResult r, String... fragments) {
        assertEquals(ExitCode.BAD_INPUT, r.exitCode(), r::toString);
        List<String> missing = new ArrayList<>();
        for (String f : fragments) if (!r.err().contains(f)) missing.add(f);
        assertTrue(missing.isEmpty(), () -> "stderr lacks " + missing + "\n" + r);
        assertFalse(r.err().contains("\tat "), () -> "a stack trace was printed\n" + r);
        assertFalse(r.err().contains("internal error"), r::toString);
    }

    /** A kernel setting read once at start-up (a JVM property, as RAVINE_JAVA_OPTS passes it), in a fresh JVM. */
    @Test
    void aBadKernelPropertyIsAnErrorNotATrace() throws Exception {
        Path config = dir.resolve("blobs.yaml");
        Files.writeString(config, """
                data: {train: "blobs:classes=3,dims=4,samples=60,seed=1"}
                model:
                  input: [4]
                  layers: [{linear: {out: 3}}]
                loss: cross_entropy
                optimizer: {name: sgd, lr: 0.1}
                training: {epochs: 1, batch_size: 20}
                """);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "--add-modules", "jdk.incubator.vector", "-Dravine.gemm.block=9x9",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "train", config.toString(), "--out", dir.resolve("bad-kernel").toString())
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertEquals(ExitCode.BAD_INPUT, p.waitFor(), output);
        assertTrue(output.contains("ravine: error: system property ravine.gemm.block: the micro-kernel shape must be one of"), output);
        assertFalse(output.contains("\tat dev.ravine"), "no stack trace:\n" + output);
    }

    @Test
    void aBadFusionSwitchExitsTwoNamingTheProperty(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("cnn.yaml");
        Files.writeString(config, """
                data: {train: "blobs:classes=2,dims=16,samples=16,seed=1"}
                model:
                  input: [1, 4, 4]
                  layers: [{conv2d: {out: 2, kernel: 3, padding: 1}}, {relu: {}}, {flatten: {}}, {linear: {out: 2}}]
                loss: cross_entropy
                optimizer: {name: sgd, lr: 0.1}
                training: {epochs: 1, batch_size: 8}
                """);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "--add-modules", "jdk.incubator.vector", "-Dravine.fuse=ture",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "train", config.toString(), "--out", dir.resolve("bad-fuse").toString())
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertEquals(ExitCode.BAD_INPUT, p.waitFor(), output);
        assertTrue(output.contains("system property ravine.fuse must be 'true' or 'false', got 'ture'"), output);
        assertFalse(output.contains("\tat dev.ravine"), "no stack trace:\n" + output);
    }
}
