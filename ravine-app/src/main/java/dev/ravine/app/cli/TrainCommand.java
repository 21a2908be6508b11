package dev.ravine.app.cli;

import dev.ravine.app.Version;
import dev.ravine.app.run.TrainingRun;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code ravine train CONFIG.yaml [--set key.path=value]... [--out DIR]}. */
@Command(name = "train", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Trains the model a YAML config describes, into a run folder.",
                "The folder holds config.yaml (resolved), normalizer.json, run.db (SQLite:",
                "steps, epochs, meta, findings, repairs, events), checkpoints/ and summary.json."},
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

    @Parameters(index = "0", paramLabel = "CONFIG.yaml", description = "the run configuration (see examples/)")
    Path config;

    @Option(names = "--set", paramLabel = "KEY.PATH=VALUE",
            description = "override a config value, e.g. --set training.epochs=1 --set model.layers[1].linear.out=256")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--out", paramLabel = "DIR", description = "the run folder (default: runs/<config name>-<yyyyMMdd-HHmmss>)")
    Path out;

    @Override
    public Integer call() {
        var request = new TrainingRun.Request(config, overrides, out, null, main.workingDir(), main.interactive());
        return TrainingRun.execute(request, spec.commandLine().getOut()).exitCode();
    }
}
