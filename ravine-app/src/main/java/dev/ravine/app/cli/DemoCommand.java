package dev.ravine.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ravine.app.TextFormat;
import dev.ravine.app.Version;
import dev.ravine.app.config.ConfigException;
import dev.ravine.app.run.TrainingRun;
import dev.ravine.app.store.RunRecords;
import dev.ravine.doctor.finding.Finding;
import dev.ravine.doctor.finding.Severity;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code ravine demo}: the doctor's showcase on the MNIST digits shipped in data/. It trains a run that fails as
 * written, prints the doctor's diagnosis of it (the findings as the run recorded them, root cause first, with evidence
 * and remedies), trains the same config again with {@code doctor.repair: true} so the doctor repairs it while it
 * runs, and ends with a before/after table and the two reports.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"The doctor's showcase on the MNIST digits shipped in data/ (about half a minute):",
                "a run that fails, the doctor's diagnosis, the same run repaired by the doctor, and both reports.",
                "Trains examples/demo-failing.yaml twice into runs/demo-<timestamp>/failing and .../repaired."})
final class DemoCommand implements Callable<Integer> {
    static final String CONFIG = "examples/demo-failing.yaml";

    @Spec
    CommandSpec spec;

    @ParentCommand
    Main main;

    @Option(names = "--set", paramLabel = "KEY.PATH=VALUE", description = "override a config value in both runs, e.g. --set training.epochs=2")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--out", paramLabel = "DIR", description = "the folder of the two runs (default: runs/demo-<yyyyMMdd-HHmmss>)")
    Path out;

    @Override
    public Integer call() {
        Path home = Path.of(System.getProperty("ravine.home", "."));
        Path config = home.resolve(CONFIG);
        if (!Files.isRegularFile(config)) {
            throw new ConfigException("the demo config " + config.toAbsolutePath().normalize() + " is missing; run the demo "
                    + "through the ./ravine launcher of a Ravine checkout (it sets -Dravine.home to the repository)");
        }
        PrintWriter o = spec.commandLine().getOut();
        Path base = out != null ? out
                : main.workingDir().resolve("runs").resolve("demo-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        if (Files.exists(base.resolve("failing")) || Files.exists(base.resolve("repaired"))) {
            throw new ConfigException(TextFormat.path(base, main.workingDir()) + " already holds a demo; choose another --out");
        }

        heading(o, "1/3  A run that fails: " + CONFIG + " as written");
        var failing = train(config, overrides, base.resolve("failing"), o);

        heading(o, "2/3  The doctor's diagnosis of that run");
        List<Finding> findings;
        try (RunRecords records = RunRecords.open(failing.run().database())) {
            findings = records.findings();
        }
        printDiagnosis(o, findings);

        heading(o, "3/3  The same run with doctor.repair: true (roll back, apply the remedy, continue)");
        List<String> repairedOverrides = new ArrayList<>(overrides);
        repairedOverrides.add("doctor.repair=true");
        var repaired = train(config, repairedOverrides, base.resolve("repaired"), o);

        heading(o, "Before and after");
        printComparison(o, read(failing.run().summary()), read(repaired.run().summary()));
        o.println();
        o.println("Reports (open in a browser: loss, gradient flow per layer, sharpness, findings on the timeline):");
        o.println("  failing:  " + TextFormat.path(failing.run().report(), main.workingDir()));
        o.println("  repaired: " + TextFormat.path(repaired.run().report(), main.workingDir()));
        o.println("Re-examine a run with: ./ravine doctor " + failing.run().display(main.workingDir()));
        return repaired.exitCode();
    }

    private TrainingRun.Outcome train(Path config, List<String> sets, Path folder, PrintWriter o) {
        var request = new TrainingRun.Request(config, sets, folder, "demo", main.workingDir(), main.interactive());
        return TrainingRun.execute(request, o);
    }

    private static void heading(PrintWriter o, String title) {
        o.println();
        o.println("== " + title + " " + "=".repeat(Math.max(3, 100 - title.length())));
    }

    /** The top finding in full; the others one line each (their evidence is in the report and in ravine doctor). */
    private static void printDiagnosis(PrintWriter o, List<Finding> findings) {
        List<Finding> problems = findings.stream().filter(f -> f.severity() != Severity.INFO).toList();
        if (problems.isEmpty()) {
            o.println("The doctor found no problem in this run.");
            return;
        }
        o.print("Top finding (root cause first):");
        DoctorCommand.print(o, problems.getFirst());
        if (problems.size() > 1) {
            o.println();
            o.println("Also seen (often consequences of the top finding):");
            for (Finding f : problems.subList(1, problems.size())) {
                o.println("  - " + f.title() + " [" + f.id() + "] from step " + f.firstStep());
            }
        }
    }

    private static void printComparison(PrintWriter o, JsonNode before, JsonNode after) {
        String row = "  %-22s %-24s %s%n";
        o.printf(row, "", "failing run", "repaired run");
        o.printf(row, "status", before.path("status").asText(), after.path("status").asText());
        o.printf(row, "steps trained", before.path("steps").asText(), after.path("steps").asText());
        o.printf(row, "final training loss", number(before, "train_loss"), number(after, "train_loss"));
        o.printf(row, "test accuracy", percent(before, "test_accuracy"), percent(after, "test_accuracy"));
        o.printf(row, "problems found", findingIds(before), findingIds(after));
        JsonNode repairs = after.path("repairs");
        o.printf(row, "repairs", "none", repairs.isArray() ? repairs.size() + "" : "none");
        if (repairs.isArray()) {
            for (JsonNode r : repairs) {
                o.println("    at step " + r.path("step").asLong() + " for " + r.path("finding").asText() + ": back to step "
                        + r.path("rolled_back_to").asLong() + ", " + r.path("remedy").asText());
            }
        }
    }

    private static String number(JsonNode summary, String key) {
        JsonNode v = summary.path(key);
        if (v.isNumber()) return TextFormat.loss(v.asDouble());
        return "diverged".equals(summary.path("status").asText()) ? "NaN" : "-";
    }

    private static String percent(JsonNode summary, String key) {
        JsonNode v = summary.path(key);
        return v.isNumber() ? TextFormat.percent(v.asDouble()) : "-";
    }

    private static String findingIds(JsonNode summary) {
        List<String> ids = new ArrayList<>();
        for (JsonNode f : summary.path("findings")) if (!"info".equals(f.path("severity").asText())) ids.add(f.path("id").asText());
        return ids.isEmpty() ? "none" : String.join(", ", ids);
    }

    private static JsonNode read(Path summary) {
        try {
            return new ObjectMapper().readTree(summary.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + summary, e);
        }
    }
}
