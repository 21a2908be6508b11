package dev.ravine.app.cli;

import dev.ravine.app.Version;
import dev.ravine.app.cluster.ClusterBackend;
import dev.ravine.app.dashboard.Dashboard;
import dev.ravine.app.run.TrainingRun;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code ravine train CONFIG.yaml [--set key.path=value]... [--out DIR] [--dashboard [--port N]]}, or {@code ravine train
 * --resume RUN_DIR}. With --dashboard the live dashboard serves the run's parent folder while the run trains, from before
 * the first step until a moment after the run ends (so open pages receive its final state); then it stops.
 */
@Command(name = "train", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Trains the model a YAML config describes, into a run folder.",
                "The folder holds config.yaml (resolved), normalizer.json, run.db (SQLite:",
                "steps, epochs, meta, findings, repairs, events), checkpoints/ and summary.json.",
                "--resume RUN_DIR continues a stopped, interrupted or killed run from its",
                "newest intact checkpoint, with the same losses as a run never stopped."},
        footerHeading = "%nExit codes:%n",
        footer = {"  0  completed", "  1  internal error (a bug: the stack trace is printed)",
                  "  2  bad config, data or model (the message says what to fix)",
                  "  3  diverged (loss NaN/Inf); the last checkpoint is kept",
                  "130  interrupted (Ctrl-C/SIGTERM); the summary says stopped"})
final class TrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ParentCommand
    Main main;

    @Parameters(index = "0", arity = "0..1", paramLabel = "CONFIG.yaml", description = "the run configuration (see examples/)")
    Path config;

    @Option(names = "--resume", paramLabel = "RUN_DIR",
            description = "continue the run in RUN_DIR from its newest intact checkpoint (its own config.yaml describes it)")
    Path resume;

    @Option(names = "--set", paramLabel = "KEY.PATH=VALUE",
            description = "override a config value, e.g. --set training.epochs=1 --set model.layers[1].linear.out=256")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--out", paramLabel = "DIR", description = "the run folder (default: runs/<config name>-<yyyyMMdd-HHmmss>)")
    Path out;

    @Option(names = "--spark", paramLabel = "MASTER",
            description = "train data-parallel on Apache Spark: local[N], spark://HOST:PORT, ... (the run folder must be a path every worker reaches)")
    String spark;

    @Option(names = "--workers", paramLabel = "N", defaultValue = "2",
            description = "with --spark: replicas, each a barrier task with its shard of every batch (default: ${DEFAULT-VALUE})")
    int workers;

    @Option(names = "--dashboard", description = "serve the live dashboard of the run while it trains and print its address "
            + "(it stops when the run ends; ravine dashboard shows runs afterwards)")
    boolean dashboard;

    @Option(names = "--port", paramLabel = "N", description = "the dashboard's port (default " + Dashboard.DEFAULT_PORT
            + ", or any free one when it is taken; 0: any free port)")
    Integer port;

    /** How long the dashboard stays up after the run ends: its pages poll every 250 ms and then show the final state. */
    static final long DASHBOARD_LINGER_MS = 1000;

    @Override
    public Integer call() throws InterruptedException {
        if (port != null && !dashboard) throw new ParameterException(spec.commandLine(), "--port is the dashboard's: give --dashboard too");
        if (spark == null && spec.commandLine().getParseResult().hasMatchedOption("--workers")) {
            throw new ParameterException(spec.commandLine(), "--workers is the number of Spark replicas: give --spark MASTER too "
                    + "(e.g. --spark local[" + workers + "]); without --spark the run trains here on every core (training.threads sets how many)");
        }
        if (spark != null) {
            if (dashboard) throw new ParameterException(spec.commandLine(), "--dashboard does not go with --spark yet: watch the run with "
                    + "ravine dashboard on the run folder's parent instead");
            return trainOnSpark();
        }
        if (resume != null) {
            if (config != null || out != null || !overrides.isEmpty()) {
                throw new ParameterException(spec.commandLine(), "--resume takes no CONFIG.yaml, --set or --out: the run "
                        + "continues as its folder's config.yaml describes it, in that folder");
            }
            var request = TrainingRun.Request.resume(resume, main.workingDir(), main.interactive());
            return train(request, main.workingDir().resolve(resume).toAbsolutePath().normalize().getParent());
        }
        if (config == null) throw new ParameterException(spec.commandLine(), "Missing required parameter: 'CONFIG.yaml' (or --resume RUN_DIR)");
        var request = new TrainingRun.Request(config, overrides, out, null, main.workingDir(), main.interactive());
        Path runs = out != null ? main.workingDir().resolve(out).toAbsolutePath().normalize().getParent() : main.workingDir().resolve("runs");
        return train(request, runs);
    }

    /** Trains; with --dashboard, serving {@code runsFolder} (the run folder's parent) while it does. */
    private int train(TrainingRun.Request request, Path runsFolder) throws InterruptedException {
        PrintWriter o = spec.commandLine().getOut();
        if (!dashboard) return TrainingRun.execute(request, o).exitCode();
        try {
            Files.createDirectories(runsFolder);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the runs folder " + runsFolder + ": " + e.getMessage(), e);
        }
        try (Dashboard d = Dashboard.start(runsFolder, port)) {
            var watched = request.whenStarted(run -> {
                o.println("dashboard: " + d.runUrl(run.root()) + " (all runs: " + d.url() + "; it stops when the run ends)");
                o.flush();
            });
            int code = TrainingRun.execute(watched, o).exitCode();
            Thread.sleep(DASHBOARD_LINGER_MS);
            return code;
        }
    }

    private int trainOnSpark() {
        TrainingRun.Request request;
        if (resume != null) {
            if (config != null || out != null || !overrides.isEmpty()) {
                throw new ParameterException(spec.commandLine(), "--resume takes no CONFIG.yaml, --set or --out");
            }
            request = TrainingRun.Request.resume(resume, main.workingDir(), false);
        } else {
            if (config == null) throw new ParameterException(spec.commandLine(), "Missing required parameter: 'CONFIG.yaml' (or --resume RUN_DIR)");
            request = new TrainingRun.Request(config, overrides, out, null, main.workingDir(), false);
        }
        return ClusterBackend.load("--spark").train(spark, workers, request, spec.commandLine().getOut());
    }
}
