package dev.ravine.app.cli;

import dev.ravine.app.ExitCode;
import dev.ravine.app.Version;
import dev.ravine.app.config.ConfigException;
import dev.ravine.app.config.ConfigReader;
import dev.ravine.app.config.ConfigWriter;
import dev.ravine.app.config.RunConfig;
import dev.ravine.app.build.RunOptimizer;
import dev.ravine.app.store.RunDirectory;
import dev.ravine.app.store.RunRecords;
import dev.ravine.doctor.Doctor;
import dev.ravine.doctor.provenance.NonFiniteProvenance;
import dev.ravine.doctor.curvature.CurvatureReading;
import dev.ravine.doctor.finding.ConfigPatch;
import dev.ravine.doctor.finding.Finding;
import dev.ravine.doctor.finding.Remedy;
import dev.ravine.doctor.finding.RunFacts;
import dev.ravine.doctor.instrument.StepReading;
import dev.ravine.train.EpochEvent;
import dev.ravine.io.AtomicFile;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code ravine doctor RUN_DIR}: re-runs the doctor's detectors over a stored run (its run.db) and prints every
 * finding with its evidence, cause and ranked remedies, numbered across the findings in their ranked order. With
 * {@code --fix N} it applies remedy N's config patches to the run's config, checks the result with the config reader
 * and writes it beside the run as {@code RUN_DIR/fix-N.yaml}, printing the command that trains it.
 */
@Command(name = "doctor", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Re-analyses a stored run: prints the doctor's findings with evidence, cause and remedies.",
                "Reads RUN_DIR/run.db and RUN_DIR/config.yaml; writes nothing unless --fix N (RUN_DIR/fix-N.yaml)."})
final class DoctorCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ParentCommand
    Main main;

    @Parameters(index = "0", paramLabel = "RUN_DIR", description = "a run folder written by ravine train")
    Path target;

    @Option(names = "--fix", paramLabel = "N", description = "write RUN_DIR/fix-N.yaml: the run's config with remedy N's patches applied")
    Integer fix;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        RunDirectory run = RunDirectory.of(target);
        RunConfig config = ConfigReader.read(run.config(), List.of(), main.workingDir());
        List<StepReading> readings;
        List<EpochEvent> epochs;
        List<CurvatureReading> curvature;
        Map<String, String> meta;
        List<Finding> recorded;
        List<NonFiniteProvenance> provenance;
        try (RunRecords records = RunRecords.open(run.database())) {
            provenance = records.provenance();
            readings = records.readings();
            epochs = records.epochs();
            curvature = records.curvature();
            meta = records.meta();
            recorded = records.findings();
        }
        int classes = Integer.parseInt(meta.getOrDefault("classes", "0"));
        List<String> kinds = config.model().layers().stream().map(l -> l.kind().id()).toList();
        // adaptivity from the run's own chain (its optimizer, clipping and parameter groups), made again as a value
        RunFacts facts = new RunFacts(config.optimizer().lr(), config.optimizer().name(),
                RunOptimizer.assembly(config.optimizer(), config.toolbox()).core(), classes, kinds)
                .withLayerYaml(config.model().layers().stream().map(ConfigWriter::flow).toList());
        Doctor doctor = new Doctor(config.doctor().instrumentOptions(), Doctor.standardDetectors(), facts, 200);
        if (!provenance.isEmpty()) doctor.recordProvenance(provenance.getLast()); // the replay of its NaN step, as the run found it
        List<Finding> findings = withRecordedOnly(doctor.replay(readings, epochs, curvature), recorded);
        long full = readings.stream().filter(r -> r.full()).count();
        out.println("run " + run.display(main.workingDir()) + ": " + readings.size() + " steps, " + full + " full readings, "
                + epochs.size() + " epochs, " + curvature.size() + " curvature readings; status " + meta.getOrDefault("status", "unknown"));
        if (findings.isEmpty()) {
            out.println("no findings: nothing in this run's readings matched a detector's rule");
            if (fix != null) throw new ConfigException("--fix " + fix + ": this run has no findings, so no remedy to apply");
            return ExitCode.OK;
        }
        int number = 1;
        for (Finding f : findings) number = print(out, f, number);
        if (fix != null) return writeFix(out, run, findings);
        return ExitCode.OK;
    }

    /** Remedy {@code fix} (numbered as printed) applied to the run's config, read back by the config reader, written atomically. */
    private int writeFix(PrintWriter out, RunDirectory run, List<Finding> findings) {
        List<Remedy> all = findings.stream().flatMap(f -> f.remedies().stream()).toList();
        if (fix < 1 || fix > all.size()) {
            throw new ConfigException("--fix " + fix + ": this run's remedies are numbered 1 to " + all.size() + " (see the list above)");
        }
        Remedy remedy = all.get(fix - 1);
        if (remedy.patches().isEmpty()) {
            throw new ConfigException("--fix " + fix + ": remedy '" + remedy.change() + "' has no config patch (no config key makes it, or the run"
                    + " was recorded before remedies carried patches); apply it by hand");
        }
        List<String> sets = remedy.patches().stream().map(ConfigPatch::setArgument).toList();
        RunConfig patched = ConfigReader.read(run.config(), sets, main.workingDir());
        Path file = run.root().resolve("fix-" + fix + ".yaml");
        try {
            AtomicFile.writeString(file, ConfigWriter.write(patched, List.of("ravine doctor --fix " + fix + ": " + remedy.change(),
                    "patches: " + remedy.patchText(), "from the config of " + run.root().toAbsolutePath())));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
        out.println();
        out.println("fix " + fix + ": " + remedy.change() + "  [" + remedy.patchText() + "]");
        out.println("wrote " + file);
        out.println("train it: ./ravine train " + file + " --out " + run.root().toAbsolutePath() + "-fix-" + fix);
        return ExitCode.OK;
    }

    /**
     * The replayed findings plus those the run recorded that no replay can reproduce, because they need the model and
     * the data, not only the readings (the data checks, plateau analyses on the probe batch, the end-of-run
     * model_bias / optimization_issue check), ranked root cause first; a finding the run's probes tested or its outcome
     * refuted is taken as recorded.
     */
    private static List<Finding> withRecordedOnly(List<Finding> replayed, List<Finding> recorded) {
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (Finding f : replayed) ids.add(f.id());
        List<Finding> all = new java.util.ArrayList<>(replayed);
        for (Finding f : recorded) if (!ids.contains(f.id())) all.add(f);
        // a finding the run's probes tested, or its outcome refuted, is as the run recorded it: a replay of the readings
        // cannot fork the run again, nor see the trained model's outcome
        for (Finding f : recorded) {
            if (f.evidence().stream().noneMatch(e -> e.startsWith("probe ")) && !dev.ravine.doctor.finding.Refutation.refuted(f)) continue;
            all.removeIf(g -> g.id().equals(f.id()));
            all.add(f);
        }
        return dev.ravine.doctor.finding.Findings.ranked(all);
    }

    static void print(PrintWriter out, Finding f) {
        print(out, f, 1);
    }

    /** Prints a finding with its remedies numbered from {@code first}; returns the next number. */
    static int print(PrintWriter out, Finding f, int first) {
        out.println();
        out.println(f.title() + "  [" + f.id() + ", " + f.severity().name().toLowerCase() + "]  steps " + f.firstStep() + "-" + f.lastStep()
                + (f.layers().isEmpty() ? "" : ", layer " + String.join(", ", f.layers())));
        out.println("  evidence:");
        for (String e : f.evidence()) out.println("    - " + e);
        out.println("  cause: " + f.cause());
        out.println("  remedies (best first):");
        int i = first;
        for (Remedy r : f.remedies()) {
            out.println("    " + i++ + ". " + r.change() + "  (" + r.why() + ")");
            if (!r.patches().isEmpty()) out.println("       --set " + String.join(" --set ", r.patches().stream().map(ConfigPatch::setArgument).toList()));
        }
        return i;
    }
}
