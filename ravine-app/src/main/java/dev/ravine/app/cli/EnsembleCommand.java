package dev.ravine.app.cli;

import dev.ravine.app.Version;
import dev.ravine.app.run.EnsembleRun;
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

/** {@code ravine ensemble CONFIG.yaml --members N [--set key.path=value]... [--out DIR]}. */
@Command(name = "ensemble", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Trains N seeds of a config and scores the mean of their predictions.",
                "Member i (from 1) is the config with seed + i - 1, trained into",
                "DIR/member-i; the members' predicted class probabilities are",
                "averaged, and DIR/ensemble.json gets each member's and the",
                "ensemble's test accuracy, test loss and clean training accuracy."},
        footerHeading = "%nExit codes:%n",
        footer = {"  0  every member completed", "  1  internal error (a bug: the stack trace is printed)",
                  "  2  bad config, data or model (the message says what to fix)",
                  "  3  a member diverged (loss NaN/Inf); later members are not trained",
                  "130  interrupted (Ctrl-C/SIGTERM)"})
final class EnsembleCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ParentCommand
    Main main;

    @Parameters(index = "0", paramLabel = "CONFIG.yaml", description = "the run configuration of every member (see examples/)")
    Path config;

    @Option(names = "--members", paramLabel = "N", required = true, description = "how many members to train (at least 1)")
    int members;

    @Option(names = "--set", paramLabel = "KEY.PATH=VALUE", description = "override a config value for every member")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--out", paramLabel = "DIR",
            description = "the ensemble folder (default: runs/<config name>-ensemble-<yyyyMMdd-HHmmss>)")
    Path out;

    @Override
    public Integer call() {
        var request = new EnsembleRun.Request(config, overrides, members, out, main.workingDir(), main.interactive());
        return EnsembleRun.execute(request, spec.commandLine().getOut());
    }
}
