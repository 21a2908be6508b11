package dev.ravine.lab.cli;

import dev.ravine.lab.Lab;
import dev.ravine.lab.LabCatalog;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code ravine lab list}: every lab's number, name, title and note. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the labs: number, name, title, the note it reproduces.")
public final class LabListCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        int width = LabCatalog.names().stream().mapToInt(String::length).max().orElse(4);
        for (Lab lab : LabCatalog.all()) {
            out.printf("%3d  %-" + width + "s  %s (%s)%n", lab.number(), lab.name(), lab.title(), lab.note());
        }
        out.flush();
        return 0;
    }
}
