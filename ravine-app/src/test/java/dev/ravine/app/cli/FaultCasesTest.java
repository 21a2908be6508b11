package dev.ravine.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ravine.app.ExitCode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fast part of the fault suite (all of it: tools/fault_suite.sh): generated bad inputs of every kind (config,
 * IDX, CSV, checkpoint, run folder) through the command line, each with its exit code and message fragment, none
 * with a stack trace or an "internal error".
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FaultCasesTest {
    private Path dir;
    private Path run;

    private static final String GOOD = """
            seed: 3
            data: {train: idx:good, normalize: scale01}
            model:
              layers: [flatten, {linear: {out: 8}}, relu, {linear: {out: 10}}]
            loss: cross_entropy
            optimizer: {name: adam, lr: 0.001}
            training: {epochs: 1, batch_size: 20}
            """;

    record Fault(String name, int exitCode, String fragment, String... args) {
        @Override
        public String toString() {
            return name;
        }
    }

    @BeforeAll
    void inputs() throws IOException {
        dir = Files.createTempDirectory("ravine-faults");
        TestData.writeSubset(dir, "train", "good", 40);
        byte[] images = Files.readAllBytes(dir.resolve("good-images-idx3-ubyte"));
        byte[] labels = Files.readAllBytes(dir.resolve("good-labels-idx1-ubyte"));
        byte[] gz = gzip(images);
        gz[gz.length - 8] ^= 1; // the CRC-32 in the gzip trailer
        idx("crc", gz, labels, ".gz");
        byte[] damaged = gzip(images);
        for (int i = damaged.length / 2; i < damaged.length / 2 + 64; i++) damaged[i] = (byte) (damaged[i] * 31 + 7);
        idx("damaged", damaged, labels, ".gz");
        idx("liar", header(40_000_000, 28, 28), labels, "");
        idx("overflow", header(65536, 65536, 65536), labels, "");
        idx("cut", Arrays.copyOf(images, images.length - 100), labels, "");
        for (String prefix : List.of("crc", "damaged", "liar", "overflow", "cut")) {
            config("idx-" + prefix, GOOD.replace("idx:good", "idx:" + prefix));
        }
        Files.write(dir.resolve("latin1.csv"), "a,b,y\n1,2,0\n3,4 caf\u00e9,1\n".getBytes(StandardCharsets.ISO_8859_1));
        config("csv", GOOD.replace("idx:good", "csv:latin1.csv").replace("{train:", "{label: y, train:")
                .replace("[flatten, ", "[").replace("out: 10", "out: 2"));
        StringBuilder laughs = new StringBuilder("a0: &a0 [x]\n");
        for (int i = 1; i <= 24; i++) laughs.append("a").append(i).append(": &a").append(i).append(" [*a").append(i - 1).append(", *a").append(i - 1).append("]\n");
        config("laughs", laughs.toString());
        config("selfref", GOOD.replace("seed: 3", "seed: &s [1, *s]"));
        config("scalar", GOOD.replace("loss: cross_entropy", "loss: " + "x".repeat(300_000)));
        config("tag", GOOD.replace("seed: 3", "seed: !!java.io.File [/etc/passwd]"));
        config("wide", GOOD.replace("{linear: {out: 8}}", "{linear: {out: 2000000}}"));
        config("threads", GOOD.replace("batch_size: 20}", "batch_size: 20, threads: 40000}"));
        config("good", GOOD);
        run = dir.resolve("run");
        CommandResult r = CommandResult.run("train", dir.resolve("good.yaml").toString(), "--out", run.toString());
        assertEquals(ExitCode.OK, r.exitCode(), r::toString);
        Path newest;
        try (Stream<Path> files = Files.list(run.resolve("checkpoints"))) {
            newest = files.filter(p -> p.getFileName().toString().startsWith("step-")).sorted().toList().getLast();
        }
        for (String kind : List.of("flipped", "bogus")) {
            Path copy = Files.createDirectories(dir.resolve(kind).resolve("checkpoints"));
            Files.copy(run.resolve("config.yaml"), copy.getParent().resolve("config.yaml"));
            Files.copy(run.resolve("normalizer.json"), copy.getParent().resolve("normalizer.json"));
        }
        byte[] ckpt = Files.readAllBytes(newest);
        byte[] flipped = ckpt.clone();
        flipped[flipped.length / 2] ^= 0x55;
        Files.write(dir.resolve("flipped/checkpoints/step-000000002.ckpt"), flipped);
        byte[] bogus = ckpt.clone();
        int nameLength = ((bogus[32] & 0xFF) << 8) | (bogus[33] & 0xFF);
        ByteBuffer.wrap(bogus).putInt(34 + nameLength, 0x7FFFFFF0);
        Files.write(dir.resolve("bogus/checkpoints/step-000000002.ckpt"), bogus);
    }

    Stream<Fault> faults() {
        List<Fault> f = new ArrayList<>();
        f.add(train("idx-crc", "does not match the checksum or length in its gzip trailer"));
        f.add(train("idx-damaged", "download the file again"));
        f.add(train("idx-liar", "more data than a Java array holds")); // 16 bytes announcing 31 GB
        f.add(train("idx-overflow", "announces dimensions [65536, 65536, 65536]"));
        f.add(train("idx-cut", "is truncated: expected 31360 bytes of data"));
        f.add(train("csv", "is not UTF-8 text at line 3 (byte 0xE9"));
        f.add(train("laughs", "expands to more than 100000 values"));
        f.add(train("selfref", "contains itself through an alias"));
        f.add(train("scalar", "(300000 characters in all)"));
        f.add(train("tag", "Global tag is not allowed"));
        f.add(train("wide", "needs about 23.4 GB of memory"));
        f.add(train("threads", "training.threads: must be at most 32767"));
        f.add(new Fault("list-index", ExitCode.BAD_INPUT, "list index 99999999999 is too large", "train",
                dir.resolve("good.yaml").toString(), "--set", "model.layers[99999999999]=relu", "--out", dir.resolve("x").toString()));
        f.add(new Fault("ckpt-flipped", ExitCode.BAD_INPUT, "does not match its checksum", "eval",
                dir.resolve("flipped/checkpoints/step-000000002.ckpt").toString(), "--data", "idx:" + dir.resolve("good")));
        f.add(new Fault("ckpt-bogus-length", ExitCode.BAD_INPUT, "claims 2147483632 elements", "eval",
                dir.resolve("bogus/checkpoints/step-000000002.ckpt").toString(), "--data", "idx:" + dir.resolve("good")));
        f.add(new Fault("resume-damaged-only", ExitCode.BAD_INPUT, "is damaged, passed over", "train", "--resume",
                dir.resolve("flipped").toString()));
        f.add(new Fault("resume-not-a-run", ExitCode.BAD_INPUT, "is not a run folder", "train", "--resume", dir.toString()));
        f.add(new Fault("resume-completed", ExitCode.BAD_INPUT, "nothing to resume", "train", "--resume", run.toString()));
        return f.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("faults")
    void eachFaultIsACleanErrorWithItsExitCodeAndMessage(Fault fault) {
        CommandResult r = CommandResult.run(fault.args());
        assertEquals(fault.exitCode(), r.exitCode(), r::toString);
        assertTrue(r.err().contains(fault.fragment()), "stderr lacks '" + fault.fragment() + "': " + r.err());
        assertFalse(r.err().contains("\tat ") || r.err().contains("internal error"), "no stack trace: " + r.err());
    }

    private Fault train(String config, String fragment) {
        return new Fault(config, ExitCode.BAD_INPUT, fragment, "train", dir.resolve(config + ".yaml").toString(), "--out",
                dir.resolve("out-" + config).toString());
    }

    private void config(String name, String yaml) throws IOException {
        Files.writeString(dir.resolve(name + ".yaml"), yaml);
    }

    private void idx(String prefix, byte[] images, byte[] labels, String suffix) throws IOException {
        Files.write(dir.resolve(prefix + "-images-idx3-ubyte" + suffix), images);
        Files.write(dir.resolve(prefix + "-labels-idx1-ubyte"), labels);
    }

    private static byte[] header(int... dims) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length);
        b.putInt(0x00000803);
        for (int d : dims) b.putInt(d);
        return b.array();
    }

    private static byte[] gzip(byte[] content) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes)) {
            out.write(content);
        }
        return bytes.toByteArray();
    }
}
