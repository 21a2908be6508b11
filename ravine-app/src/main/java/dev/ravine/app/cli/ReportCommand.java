package dev.ravine.app.cli;

import dev.ravine.app.ExitCode;
import dev.ravine.app.Version;
import dev.ravine.app.report.RunReport;
import dev.ravine.app.store.RunDirectory;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code ravine report RUN_DIR [--out FILE]}: writes the run's self-contained {@code report.html} (charts, findings,
 * repairs) from its run folder; works for any stored run, also one written before reports existed.
 */
@Command(name = "report", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Writes a run's report.html: loss, accuracy, gradient heat map, update ratios,",
                "sharpness, findings, repairs; one self-contained HTML file, no network needed.",
                "Reads RUN_DIR/run.db, RUN_DIR/summary.json and RUN_DIR/config.yaml."})
final class ReportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ParentCommand
    Main main;

    @Parameters(index = "0", paramLabel = "RUN_DIR", description = "a run folder written by ravine train")
    Path target;

    @Option(names = "--out", paramLabel = "FILE", description = "where to write the report (default: RUN_DIR/report.html)")
    Path out;

    @Override
    public Integer call() {
        PrintWriter o = spec.commandLine().getOut();
        RunDirectory run = RunDirectory.of(target);
        Path file = out != null ? main.workingDir().resolve(out) : run.report();
        o.println("report: " + RunReport.write(run.root(), file).describe(main.workingDir()));
        return ExitCode.OK;
    }
}
