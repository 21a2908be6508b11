package dev.ravine.app.cli;

import dev.ravine.app.ExitCode;
import dev.ravine.app.TextFormat;
import dev.ravine.app.Version;
import dev.ravine.app.cluster.ClusterBackend;
import dev.ravine.app.store.RunDirectory;
import dev.ravine.app.sweep.Grid;
import dev.ravine.app.sweep.Sweep;
import dev.ravine.app.sweep.SweepResult;
import dev.ravine.app.sweep.SweepTable;
import dev.ravine.app.sweep.TrialOutcome;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code ravine sweep CONFIG --grid KEY=V1,V2 ... [--seeds N] [--parallel P]}: trains every combination of the grid
 * with each seed, each trial a run folder under one sweep folder, and prints the sweep table (mean ± 95% CI over
 * seeds per combination, each trial's status and top finding). A trial whose doctor stores a blocking finding is
 * stopped early.
 */
@Command(name = "sweep", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Trains CONFIG for every combination of the --grid values x each seed, each trial a run folder",
                "under one sweep folder; prints the mean ± 95%% confidence interval over seeds per combination and",
                "writes sweep.txt and sweep.html. Trials whose doctor finds a blocking problem are stopped early."})
final class SweepCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ParentCommand
    Main main;

    @Parameters(index = "0", paramLabel = "CONFIG.yaml", description = "the run configuration")
    Path config;

    @Option(names = "--grid", paramLabel = "KEY.PATH=V1,V2,...", description = "an axis of the grid (repeatable)")
    List<String> grid = new ArrayList<>();

    @Option(names = "--seeds", paramLabel = "N", defaultValue = "3", description = "seeds per combination, 1..N (default: ${DEFAULT-VALUE})")
    int seeds;

    @Option(names = "--parallel", paramLabel = "P", defaultValue = "1",
            description = "trials at a time; each gets cores/P compute threads (default: ${DEFAULT-VALUE})")
    int parallel;

    @Option(names = "--set", paramLabel = "KEY.PATH=VALUE", description = "override a config value in every trial (repeatable)")
    List<String> sets = new ArrayList<>();

    @Option(names = "--out", paramLabel = "DIR", description = "the sweep folder (default: runs/sweep-<config name>-<yyyyMMdd-HHmmss>)")
    Path out;

    @Option(names = "--spark", paramLabel = "MASTER",
            description = "run each trial as a task of this Spark cluster (local[N], spark://HOST:PORT); the sweep folder must be a path every worker reaches")
    String spark;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter o = spec.commandLine().getOut();
        Path file = main.workingDir().resolve(config).toAbsolutePath().normalize();
        Grid g = Grid.parse(grid);
        String stem = file.getFileName().toString().replaceFirst("\\.ya?ml$", "");
        Path folder = out != null ? main.workingDir().resolve(out).toAbsolutePath().normalize()
                : main.workingDir().resolve("runs").resolve("sweep-" + stem + "-" + RunDirectory.STAMP.format(LocalDateTime.now()));
        int cores = Runtime.getRuntime().availableProcessors();
        int total = g.combinations().size() * seeds;
        if (spark == null) Sweep.checkSettings(seeds, parallel, cores);
        else if (seeds < 1) throw new IllegalArgumentException("--seeds " + seeds + ": give at least 1");
        // Every trial's config is read before anything is announced or created: a bad grid value fails here, alone.
        Sweep.checkTrials(file, g, sets, seeds, folder, main.workingDir());
        o.println("sweep: " + total + " trials into " + TextFormat.path(folder, main.workingDir()) + (spark == null ? "" : " on Spark " + spark));
        o.flush();
        AtomicInteger done = new AtomicInteger();
        Consumer<TrialOutcome> onDone = t -> {
            synchronized (o) {
                o.println("trial " + done.incrementAndGet() + "/" + total + " " + t.trial().folder().getFileName() + ": " + t.status()
                        + (t.reason() != null && t.stoppedBy() != null ? " (" + t.reason() + ")" : "") + ", " + TextFormat.duration(t.wallSeconds()));
                o.flush();
            }
        };
        SweepResult result;
        if (spark == null) {
            result = Sweep.run(file, g, sets, seeds, parallel, cores, folder, main.workingDir(), onDone);
        } else {
            ClusterBackend.SweepTrials cluster = ClusterBackend.load("--spark").sweepTrials(spark, file, sets, folder, main.workingDir(), onDone);
            result = Sweep.runWith(file, g, sets, seeds, cluster.parallel(), cluster.threads(), folder, main.workingDir(), cluster.executor());
        }
        o.print(SweepTable.render(result));
        o.println("sweep table: " + TextFormat.path(folder.resolve(Sweep.PAGE_FILE), main.workingDir()));
        o.flush();
        return ExitCode.OK;
    }
}
