package dev.ravine.lab.cli;

import dev.ravine.app.TextFormat;
import dev.ravine.lab.Lab;
import dev.ravine.lab.LabCatalog;
import dev.ravine.lab.LabRun;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ravine lab all [--quick] [--out DIR]}: runs every lab in order, writes every page and the index, prints the table. */
@Command(name = "all", mixinStandardHelpOptions = true, description = "Runs every lab, writes their pages and DIR/index.html, prints the verdicts.")
public final class LabAllCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--quick", description = "the short runs (seconds each), as the tests run them")
    boolean quick;

    @Option(names = "--out", paramLabel = "DIR", description = "where the pages go (default: runs/labs)")
    Path out = Path.of("runs", "labs");

    @Override
    public Integer call() {
        PrintWriter o = spec.commandLine().getOut();
        List<LabRun> runs = new ArrayList<>();
        for (Lab lab : LabCatalog.all()) {
            LabRun run = LabRunner.run(lab, quick, o);
            LabRunner.write(run, out, o);
            runs.add(run);
        }
        o.println();
        o.printf("%3s  %-24s  %-13s  %s%n", "#", "lab", "verdict", "time");
        for (LabRun r : runs) {
            o.printf("%3d  %-24s  %-13s  %s%n", r.lab().number(), r.lab().name(), r.result().verdict().word(), TextFormat.duration(r.seconds()));
        }
        o.println("index: " + out.resolve("index.html"));
        o.flush();
        return 0;
    }
}
