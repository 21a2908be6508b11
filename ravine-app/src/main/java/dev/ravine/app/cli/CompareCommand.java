package dev.ravine.app.cli;

import dev.ravine.app.ExitCode;
import dev.ravine.app.TextFormat;
import dev.ravine.app.Version;
import dev.ravine.app.compare.ComparePage;
import dev.ravine.app.compare.CompareTable;
import dev.ravine.app.compare.RunComparison;
import dev.ravine.io.AtomicFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code ravine compare RUN... [--html FILE]}: the config differences, final metrics and top finding of two or more
 * runs as a terminal table, and the same with overlaid curves and the findings side by side as one HTML page.
 */
@Command(name = "compare", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Compares two or more runs: the config keys that differ, final metrics, each run's top finding;",
                "writes compare.html (curves overlaid, findings side by side) with --html."})
final class CompareCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ParentCommand
    Main main;

    @Parameters(arity = "2..*", paramLabel = "RUN_DIR", description = "run folders written by ravine train")
    List<Path> runs;

    @Option(names = "--html", paramLabel = "FILE", description = "also write the comparison as a self-contained HTML page")
    Path html;

    @Override
    public Integer call() {
        PrintWriter o = spec.commandLine().getOut();
        RunComparison c = RunComparison.of(runs.stream().map(p -> main.workingDir().resolve(p)).toList());
        o.print(CompareTable.render(c));
        if (html != null) {
            Path file = main.workingDir().resolve(html);
            try {
                AtomicFile.writeString(file, ComparePage.render(c));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
            }
            o.println("comparison page: " + TextFormat.path(file, main.workingDir()));
        }
        o.flush();
        return ExitCode.OK;
    }
}
