package dev.ravine.app.compare;

import dev.ravine.app.BlobsCsv;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ravine.app.cli.Main;
import dev.ravine.app.report.HeadlessChromium;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ravine compare} of two real runs of one config that differ only in the learning rate (0.05, and 8.0 which
 * diverges): the table names exactly the differing key, both statuses and the failing run's finding; the HTML page,
 * opened in headless Chromium, draws both runs' curves.
 */
class CompareTest {
    @TempDir
    static Path dir;
    static Path calm;
    static Path wild;

    @BeforeAll
    static void trainTwoRuns() throws Exception {
        BlobsCsv.write(dir.resolve("train.csv"), 240, 11);
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
                    - relu
                    - linear: {out: 3}
                loss: cross_entropy
                optimizer: {name: sgd, lr: 0.05, momentum: 0.9}
                doctor: {every: 2}
                training: {epochs: 2, batch_size: 24}
                """);
        calm = dir.resolve("calm");
        wild = dir.resolve("wild");
        Result a = ravine("train", config.toString(), "--out", calm.toString());
        assertEquals(0, a.code, a.text);
        Result b = ravine("train", config.toString(), "--out", wild.toString(), "--set", "optimizer.lr=8.0", "--set", "doctor.repair=false");
        assertTrue(Files.isRegularFile(wild.resolve("run.db")), b.text);
    }

    @Test
    void theTableShowsTheDifferingKeyTheOutcomesAndTheFindings() {
        Result r = ravine("compare", calm.toString(), wild.toString());
        assertEquals(0, r.code, r.text);
        Matcher diff = Pattern.compile("config differences \\((\\d+) of (\\d+) keys").matcher(r.text);
        assertTrue(diff.find(), r.text);
        assertTrue(r.text.lines().anyMatch(l -> l.trim().matches("optimizer\\.lr\\s+0\\.05\\s+8\\.0")), r.text);
        assertFalse(r.text.lines().anyMatch(l -> l.trim().startsWith("model.")), "model keys are the same in both:\n" + r.text);
        assertTrue(r.text.lines().anyMatch(l -> l.trim().matches("calm\\s+completed\\s+\\d.*")), r.text);
        String wildFinding = r.text.lines().filter(l -> l.trim().startsWith("wild ") && !l.contains("completed")).reduce((x, y) -> y).orElseThrow();
        assertFalse(wildFinding.trim().endsWith("none"), "the diverging run has a finding:\n" + r.text);
        assertTrue(wildFinding.contains("blocking"), r.text);
    }

    @Test
    void thePageHighlightsTheDifferenceAndDrawsBothRunsCurves() throws Exception {
        Path page = dir.resolve("compare.html");
        Result r = ravine("compare", calm.toString(), wild.toString(), "--html", page.toString());
        assertEquals(0, r.code, r.text);
        String html = Files.readString(page);
        assertTrue(html.contains("<td class=\"diff\">8.0</td>"), "the differing value is highlighted");
        assertTrue(html.contains("<div class=\"run-findings\"><h3>calm</h3>") && html.contains("<div class=\"run-findings\"><h3>wild</h3>"));
        if ("1".equals(System.getenv("RAVINE_SKIP_BROWSER"))) return;
        HeadlessChromium chromium = HeadlessChromium.find();
        assertNotNull(chromium, "no Chromium found; install chromium or set RAVINE_SKIP_BROWSER=1");
        String dom = chromium.dumpDom(page, dir.resolve("profile"));
        Matcher status = Pattern.compile("<pre id=\"compare-status\">(.*?)</pre>", Pattern.DOTALL).matcher(dom);
        assertTrue(status.find(), dom);
        String text = status.group(1);
        assertFalse(text.contains("error"), text);
        Matcher loss = Pattern.compile("chart loss: series=(\\d+) points=(\\d+)").matcher(text);
        assertTrue(loss.find(), text);
        assertEquals(2, Integer.parseInt(loss.group(1)), text);
        assertTrue(Integer.parseInt(loss.group(2)) >= 16, "both runs' step losses are drawn: " + text);
        Matcher val = Pattern.compile("chart val_loss: series=2 points=(\\d+)").matcher(text);
        assertTrue(val.find() && Integer.parseInt(val.group(1)) >= 2, text);
        assertTrue(dom.contains("class=\"uplot"), "uPlot drew into the page");
    }

    record Result(int code, String text) {}

    static Result ravine(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8)) {
            code = Main.run(args, o, o);
        }
        return new Result(code, out.toString(StandardCharsets.UTF_8));
    }

}
