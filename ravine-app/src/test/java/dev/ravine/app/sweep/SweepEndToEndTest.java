package dev.ravine.app.sweep;

import dev.ravine.app.BlobsCsv;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ravine.app.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ravine sweep} of a tiny config over a healthy and a far too high learning rate, 2 seeds each, 2 trials at a
 * time: four run folders, the healthy combination's mean ± CI recomputed from its trials' summaries, and the high
 * learning rate's trials stopped by the doctor's blocking finding (their summaries say stopped: the trainer was
 * ended through its own SIGTERM handling).
 */
class SweepEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void aSweepTrainsEveryTrialAveragesOverSeedsAndStopsTheDoomedOnesEarly() throws Exception {
        BlobsCsv.write(dir.resolve("train.csv"), 120, 11);
        Path config = dir.resolve("blobs.yaml");
        Files.writeString(config, """
                seed: 4
                data:
                  train: csv:train.csv
                  validation_split: 0.2
                  label: label
                model:
                  layers:
                    - linear: {out: 16}
                    - tanh
                    - linear: {out: 3}
                loss: cross_entropy
                optimizer: {name: sgd, lr: 0.05}
                doctor: {every: 2}
                training: {epochs: 25, batch_size: 24}
                """);
        Path sweep = dir.resolve("sweep");
        String out = ravine("sweep", config.toString(), "--grid", "optimizer.lr=0.05,20.0", "--seeds", "2", "--parallel", "2", "--out", sweep.toString());
        List<Path> trials = new ArrayList<>();
        try (var s = Files.list(sweep.resolve("trials"))) {
            s.sorted().forEach(trials::add);
        }
        assertEquals(List.of("optimizer.lr=0.05_seed=1", "optimizer.lr=0.05_seed=2", "optimizer.lr=20.0_seed=1", "optimizer.lr=20.0_seed=2"),
                trials.stream().map(p -> p.getFileName().toString()).toList(), out);

        List<Double> accuracies = new ArrayList<>();
        for (Path t : trials.subList(0, 2)) {
            JsonNode summary = JSON.readTree(t.resolve("summary.json").toFile());
            assertEquals("completed", summary.get("status").asText(), out);
            accuracies.add(summary.get("val_accuracy").asDouble());
        }
        SeedStatistics healthy = SeedStatistics.of(accuracies);
        String expected = SweepTable.percent(healthy);
        assertTrue(out.lines().anyMatch(l -> l.trim().startsWith("optimizer.lr=0.05") && l.contains("2/2") && l.contains(expected)),
                "the healthy row shows " + expected + ":\n" + out);

        Matcher stopped = Pattern.compile("stopped early by the doctor: (\\d) of 4").matcher(out);
        assertTrue(stopped.find(), out);
        assertEquals(2, Integer.parseInt(stopped.group(1)), "both lr=20 trials are stopped by the doctor:\n" + out);
        for (Path t : trials.subList(2, 4)) {
            assertTrue(out.contains("stopped early: " + t.getFileName() + ": the doctor found a blocking problem at step"), out);
            assertEquals("stopped", JSON.readTree(t.resolve("summary.json").toFile()).get("status").asText(), "the trainer ended cleanly");
        }
        assertTrue(out.lines().anyMatch(l -> l.trim().startsWith("optimizer.lr=20.0") && l.contains("0/2")), out);
        String page = Files.readString(sweep.resolve(Sweep.PAGE_FILE));
        assertTrue(page.contains("<tr class=\"stopped\">") && page.contains("trials/optimizer.lr=0.05_seed=1/report.html"), page);
        assertTrue(Files.readString(sweep.resolve(Sweep.TABLE_FILE)).contains("per combination"));
    }

    @Test
    void aBadGridValueIsRefusedBeforeAnythingIsAnnouncedOrCreated() throws Exception {
        BlobsCsv.write(dir.resolve("train.csv"), 60, 3);
        Path config = dir.resolve("blobs.yaml");
        Files.writeString(config, """
                data: {train: csv:train.csv, label: label}
                model: {layers: [{linear: {out: 3}}]}
                loss: cross_entropy
                optimizer: {name: sgd, lr: 0.05}
                training: {epochs: 1, batch_size: 20}
                """);
        Path sweep = dir.resolve("sweep");
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int code;
        try (PrintStream o = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
            code = Main.run(new String[] {"sweep", config.toString(), "--grid", "optimizer.lr=0.1,abc", "--seeds", "1", "--out", sweep.toString()}, o, o);
        }
        String text = buf.toString(StandardCharsets.UTF_8);
        assertEquals(2, code, text);
        assertTrue(text.contains("optimizer.lr"), text);
        assertTrue(!text.contains("trials into"), "announced a sweep it then refused:\n" + text);
        assertTrue(!Files.exists(sweep), "created " + sweep + " for a refused sweep");
    }

    @Test
    void moreParallelTrialsThanCoresIsRefused() {
        int cores = Runtime.getRuntime().availableProcessors();
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int code;
        try (PrintStream o = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
            code = Main.run(new String[] {"sweep", "x.yaml", "--parallel", String.valueOf(cores + 1), "--out", dir.resolve("s").toString()}, o, o);
        }
        String text = buf.toString(StandardCharsets.UTF_8);
        assertEquals(2, code, text);
        assertTrue(text.contains("more than this machine's " + cores + " cores"), text);
    }

    private static String ravine(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8)) {
            code = Main.run(args, o, o);
        }
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, text);
        return text;
    }

}
