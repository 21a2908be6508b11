package dev.ravine.app.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ravine.app.ExitCode;
import dev.ravine.doctor.finding.Finding;
import dev.ravine.doctor.finding.Findings;
import dev.ravine.doctor.finding.Severity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pathology suite's regression set (examples/pathologies/): the configs the detectors were first tuned on
 * ({@link #REGRESSION_SET}) are trained as written (they are short) and each must get the finding its {@code # expect:}
 * line names as its top finding ({@link Findings#top}); each healthy control must get no finding above INFO. All of
 * them run, and the test reports every miss at once. The rest of the suite (tuning and held-out halves, two seeds, and
 * each case's counterfactual) takes minutes: tools/pathology_suite.py measures it.
 */
class PathologySuiteTest {
    static final java.util.Set<String> REGRESSION_SET = java.util.Set.of("adam-late-spike", "data-nan", "data-scale", "data-unshuffled",
            "dead-relu", "deep-worse-than-shallow", "exploding-deep-plain", "healthy-blobs-sgd", "healthy-mnist-adam",
            "healthy-mnist-sgd-momentum", "healthy-spirals-mlp", "lr-too-high", "lr-too-low", "model-too-small", "overfitting-tiny-data",
            "ravine-surface", "saddle-start", "vanishing-deep-sigmoid", "vanishing-rnn-through-time");

    @TempDir
    Path dir;

    static Path suite() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("examples/pathologies");
            if (Files.isDirectory(candidate)) return candidate;
        }
        throw new IllegalStateException("examples/pathologies not found above " + Path.of("").toAbsolutePath());
    }

    static String expected(Path config) throws Exception {
        for (String line : Files.readAllLines(config)) {
            if (line.startsWith("# expect:")) return line.substring("# expect:".length()).trim();
        }
        throw new IllegalStateException(config + " has no '# expect:' line");
    }

    /** The findings a run stored in run.db, in any order. */
    static List<Finding> findings(Path run) throws Exception {
        List<Finding> out = new ArrayList<>();
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + run.resolve("run.db"));
             ResultSet rs = db.createStatement().executeQuery("SELECT id, severity, first_step, last_step, title FROM findings")) {
            while (rs.next()) {
                out.add(new Finding(rs.getString(1), rs.getString(5), Severity.valueOf(rs.getString(2).toUpperCase(Locale.ROOT)), rs.getLong(3),
                        rs.getLong(4), List.of(), List.of(), "", List.of()));
            }
        }
        return out;
    }

    @Test
    void everyPathologyGetsItsDiagnosisAndEveryControlNone() throws Exception {
        List<Path> configs;
        try (Stream<Path> s = Files.list(suite())) {
            configs = s.filter(p -> REGRESSION_SET.contains(p.getFileName().toString().replace(".yaml", ""))).sorted().toList();
        }
        long controls = 0;
        List<String> misses = new ArrayList<>();
        for (Path config : configs) {
            String expect = expected(config);
            Path run = dir.resolve(config.getFileName().toString().replace(".yaml", ""));
            CommandResult r = CommandResult.run("train", config.toString(), "--out", run.toString());
            List<Finding> found = findings(run);
            String top = Findings.top(found).map(Finding::id).orElse("healthy");
            if (expect.equals("healthy")) controls++;
            if (!top.equals(expect)) misses.add(config.getFileName() + ": expected " + expect + ", top finding " + top + " of "
                    + found.stream().map(f -> f.id() + "@" + f.firstStep()).toList() + " (exit " + r.exitCode() + ")");
        }
        assertTrue(configs.size() - controls >= 14 && controls >= 4, "the suite has " + (configs.size() - controls) + " pathologies and " + controls
                + " controls");
        assertTrue(misses.isEmpty(), String.join("\n", misses));
    }

    @Test
    void ravineDoctorShowsTheFindingsOnlyTheLiveRunCouldMake() throws Exception {
        Path run = dir.resolve("saddle");
        CommandResult train = CommandResult.run("train", suite().resolve("saddle-start.yaml").toString(), "--out", run.toString());
        assertTrue(train.exitCode() == ExitCode.OK, train::toString);
        CommandResult doctor = CommandResult.run("doctor", run.toString());
        String out = doctor.out();
        assertTrue(out.contains("[saddle_point, warning]") && out.contains("an escape direction"), doctor::toString);
        assertTrue(out.indexOf("[saddle_point") < out.indexOf("[optimization_issue"), "root cause first:\n" + out);
    }
}
