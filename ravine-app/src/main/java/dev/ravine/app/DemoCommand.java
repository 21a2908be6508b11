package dev.ravine.app;

import dev.ravine.app.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code ravine demo}: trains examples/demo-mnist.yaml on the MNIST digits shipped in data/. */
@Command(name = "demo", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Trains a small CNN on the MNIST digits shipped in data/ (seconds).",
                "Runs examples/demo-mnist.yaml on data/mnist-10k into runs/demo-<timestamp>."})
final class DemoCommand implements Callable<Integer> {
    static final String CONFIG = "examples/demo-mnist.yaml";

    @Spec
    CommandSpec spec;

    @ParentCommand
    Main main;

    @Option(names = "--set", paramLabel = "KEY.PATH=VALUE", description = "override a config value, e.g. --set training.epochs=1")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--out", paramLabel = "DIR", description = "the run folder (default: runs/demo-<yyyyMMdd-HHmmss>)")
    Path out;

    @Override
    public Integer call() {
        Path home = Path.of(System.getProperty("ravine.home", "."));
        Path config = home.resolve(CONFIG);
        if (!Files.isRegularFile(config)) {
            throw new ConfigException("the demo config " + config.toAbsolutePath().normalize() + " is missing; run the demo "
                    + "through the ./ravine launcher of a Ravine checkout (it sets -Dravine.home to the repository)");
        }
        var request = new TrainingRun.Request(config, overrides, out, "demo", main.workingDir(), main.interactive());
        var outcome = TrainingRun.execute(request, spec.commandLine().getOut());
        String dir = outcome.run().display(main.workingDir());
        var o = spec.commandLine().getOut();
        o.println();
        o.println("The demo run is in " + dir + "/ (config.yaml, run.db, checkpoints/, summary.json, report.html).");
        o.println("Open " + dir + "/report.html in a browser for its charts and the doctor's findings.");
        o.println("Evaluate its checkpoint again with: ./ravine eval " + dir);
        return outcome.exitCode();
    }
}
