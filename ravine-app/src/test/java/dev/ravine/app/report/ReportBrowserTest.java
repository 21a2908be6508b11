package dev.ravine.app.report;

import dev.ravine.app.BlobsCsv;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ravine.app.cli.Main;
import dev.ravine.app.store.RunStore;
import dev.ravine.doctor.finding.Finding;
import dev.ravine.doctor.finding.Remedy;
import dev.ravine.doctor.finding.Severity;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report of a small real run (ravine train, 16 steps on synthetic data) opened in a real headless Chromium: no
 * JavaScript error and no blank chart, read from the page's own self-check. A broken variant (a script that throws, a
 * chart whose data is gone) shows that the check notices both. Chromium is required: without it this test fails, unless
 * RAVINE_SKIP_BROWSER=1 (or -Dravine.skipBrowser=true) says to skip it.
 */
class ReportBrowserTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> CHARTS = List.of("loss", "accuracy", "gradients", "updates", "sharpness", "activations");

    @TempDir
    static Path dir;

    static HeadlessChromium chromium;
    static Path run;

    @BeforeAll
    static void trainASmallRun() throws Exception {
        boolean skip = "1".equals(System.getenv("RAVINE_SKIP_BROWSER")) || Boolean.getBoolean("ravine.skipBrowser");
        if (skip) System.err.println("ReportBrowserTest: skipped on request (RAVINE_SKIP_BROWSER=1 or -Dravine.skipBrowser=true)");
        Assumptions.assumeFalse(skip, "RAVINE_SKIP_BROWSER=1: the headless-browser test of report.html is skipped");
        chromium = HeadlessChromium.find();
        assertNotNull(chromium, "no Chromium found (chromium, chromium-browser or google-chrome on the PATH, or RAVINE_CHROMIUM): "
                + "install it (apt-get install chromium) or set RAVINE_SKIP_BROWSER=1 to skip this test explicitly");

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
                    - linear: {out: 16}
                    - tanh
                    - linear: {out: 3}
                loss: cross_entropy
                optimizer: {name: sgd, lr: 0.1, momentum: 0.9}
                doctor: {every: 2}
                training: {epochs: 2, batch_size: 24}
                """);
        run = dir.resolve("run");
        String out = command("train", config.toString(), "--out", run.toString());
        assertTrue(Files.isRegularFile(run.resolve("report.html")), "ravine train writes report.html:\n" + out);
        assertTrue(out.contains("report: "), out);
    }


    private static String command(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8)) {
            code = Main.run(args, o, o);
        }
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, text);
        return text;
    }

    /**
     * The run's report, written again by {@code ravine report} after curvature readings, a finding and a repair were
     * added to the run (so the sharpness chart, the finding bands and the repair marks are drawn too).
     */
    private static Path reportWithEverything() throws Exception {
        try (RunStore store = RunStore.create(run.resolve("run.db"))) {
            store.putFindings(List.of(new Finding("lr_too_high", "Learning rate too high <em>(test)</em>", Severity.BLOCKING, 3, 6,
                    List.of("0"), List.of("loss rose 3x in 3 steps"), "the step overshoots",
                    List.of(new Remedy("optimizer.lr: 0.1 -> 0.03", "below the stability limit")))));
        }
        ObjectNode summary = (ObjectNode) JSON.readTree(run.resolve("summary.json").toFile());
        summary.putArray("repairs").addObject().put("step", 6).put("finding", "lr_too_high").put("remedy", "optimizer.lr x 0.333")
                .put("rolled_back_to", 2).put("lr_scale", 0.333);
        Files.writeString(run.resolve("summary.json"), JSON.writeValueAsString(summary));
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + run.resolve("run.db"))) {
            db.createStatement().execute("CREATE TABLE IF NOT EXISTS curvature_readings(step INTEGER PRIMARY KEY, sharpness REAL, "
                    + "threshold REAL, preconditioned_sharpness REAL, preconditioned_threshold REAL, hvps INTEGER)");
            // all four series, the preconditioned ones 100x larger (as Adam's are): the chart's log-scale branch
            try (PreparedStatement s = db.prepareStatement("INSERT OR REPLACE INTO curvature_readings VALUES (?, ?, 38.0, ?, 3800.0, 40)")) {
                for (int step = 2; step <= 16; step += 2) {
                    s.setLong(1, step);
                    s.setDouble(2, 5.0 + step);
                    s.setDouble(3, 500.0 * step);
                    s.executeUpdate();
                }
            }
        }
        Path file = dir.resolve("with-everything.html");
        command("report", run.toString(), "--out", file.toString());
        return file;
    }

    /** Chart name -> "points=N painted=M" or "not measured", and the error lines, from the page's self-check. */
    private record Check(Map<String, String> charts, List<String> errors, String text) {
        static Check of(String status) {
            Map<String, String> charts = new LinkedHashMap<>();
            List<String> errors = new ArrayList<>();
            for (String line : status.split("\n")) {
                if (line.startsWith("chart ")) charts.put(line.substring(6, line.indexOf(':')), line.substring(line.indexOf(':') + 2));
                if (line.startsWith("error: ")) errors.add(line);
            }
            return new Check(charts, errors, status);
        }

        int painted(String chart) {
            Matcher m = Pattern.compile("points=(\\d+) painted=(\\d+)").matcher(charts.getOrDefault(chart, ""));
            return m.matches() && Integer.parseInt(m.group(1)) > 0 ? Integer.parseInt(m.group(2)) : 0;
        }
    }

    private Check open(Path page, String profile) throws Exception {
        String status = HeadlessChromium.reportStatus(chromium.dumpDom(page, dir.resolve(profile)));
        return Check.of(status);
    }

    @Test
    void everyChartIsDrawnWithoutAScriptError() throws Exception {
        String dom = chromium.dumpDom(reportWithEverything(), dir.resolve("profile-everything"));
        assertTrue(dom.contains("Learning rate too high &lt;em&gt;(test)&lt;/em&gt;"), "the finding, its title escaped");
        assertTrue(dom.contains("<td>optimizer.lr x 0.333</td>"), "the repair");
        assertTrue(dom.contains("id=\"confusion-matrix\""), "the validation set's confusion matrix, recorded by the run");
        Check check = Check.of(HeadlessChromium.reportStatus(dom));
        assertTrue(check.errors().isEmpty() && check.text().contains("errors: 0"), check.text());
        assertEquals(CHARTS, List.copyOf(check.charts().keySet()), check.text());
        for (String chart : CHARTS) assertTrue(check.painted(chart) > 0, "chart " + chart + " is blank:\n" + check.text());
        assertTrue(check.charts().get("sharpness").startsWith("points=32 "), "8 readings x 4 series:\n" + check.text());
    }

    /** One broken copy of the trained run's report (one browser start, to keep the test short) with two faults. */
    @Test
    void theSelfCheckSeesAThrowingScriptAndABlankChart() throws Exception {
        String html = Files.readString(run.resolve("report.html"));
        // Fault 1: the embedded training and validation losses replaced by nulls. The loss chart still has its steps,
        // axes and grid, but no line.
        for (String series : List.of("loss", "val_loss")) {
            Matcher m = Pattern.compile("\"" + series + "\":\\[([^\\]]*)\\]").matcher(html);
            assertTrue(m.find(), "the report embeds " + series);
            String nulls = m.group(1).replaceAll("[^,]+", "null");
            html = html.substring(0, m.start(1)) + nulls + html.substring(m.end(1));
        }
        // Fault 2: a script that throws after the charts were drawn.
        html = html.replace("</body>", "<script>throw new Error(\"injected failure\");</script>\n</body>");
        Path broken = dir.resolve("broken.html");
        Files.writeString(broken, html);

        Check check = open(broken, "profile-broken");
        assertEquals(1, check.errors().size(), check.text());
        assertTrue(check.errors().getFirst().contains("injected failure"), check.text());
        assertTrue(check.charts().get("loss").startsWith("points=0 painted=0"), "an empty loss chart must not pass as drawn:\n" + check.text());
        assertEquals(0, check.painted("loss"), check.text());
        assertTrue(check.painted("accuracy") > 0 && check.painted("gradients") > 0, "the other charts are drawn:\n" + check.text());
    }
}
