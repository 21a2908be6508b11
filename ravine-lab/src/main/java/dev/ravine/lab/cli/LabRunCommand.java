package dev.ravine.lab.cli;

import dev.ravine.app.ExitCode;
import dev.ravine.app.config.NameSuggestion;
import dev.ravine.lab.Lab;
import dev.ravine.lab.LabCatalog;
import dev.ravine.lab.LabRun;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ravine lab run NAME [--quick] [--out DIR]}: runs one lab, prints its verdict and figures, writes its page. */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Runs one lab and writes DIR/NAME.html, DIR/NAME.json and DIR/index.html.")
public final class LabRunCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "the lab (ravine lab list names them)")
    String name;

    @Option(names = "--quick", description = "the short run (seconds; fewer seeds and steps), as the tests run it")
    boolean quick;

    @Option(names = "--out", paramLabel = "DIR", description = "where the pages go (default: runs/labs)")
    Path out = Path.of("runs", "labs");

    @Override
    public Integer call() {
        Optional<Lab> lab = LabCatalog.find(name);
        if (lab.isEmpty()) {
            spec.commandLine().getErr().println("ravine lab run: unknown lab '" + name + "';" + NameSuggestion.hint(name, LabCatalog.names())
                    + " the labs are: " + String.join(", ", LabCatalog.names()) + " (ravine lab list)");
            return ExitCode.BAD_INPUT;
        }
        LabRun run = LabRunner.run(lab.get(), quick, spec.commandLine().getOut());
        LabRunner.write(run, out, spec.commandLine().getOut());
        return 0;
    }
}
