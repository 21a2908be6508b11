package dev.ravine.lab.cli;

import dev.ravine.app.ExitCode;
import dev.ravine.app.cli.ContributedCommand;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code ravine lab}: the labs that reproduce the notes' claims ({@code list}, {@code run NAME}, {@code all}). Added to
 * {@code ravine} as a {@link ContributedCommand} (META-INF/services), since this module depends on the app.
 */
@Command(name = "lab", mixinStandardHelpOptions = true,
        description = "Runs the labs: experiments that reproduce the study notes' claims, each with its verdict and HTML page.",
        subcommands = {LabListCommand.class, LabRunCommand.class, LabAllCommand.class})
public final class LabCommand implements Callable<Integer>, ContributedCommand {
    @Spec
    CommandSpec spec;

    /** Without a subcommand: the usage, as an error. */
    @Override
    public Integer call() {
        spec.commandLine().getErr().println("ravine lab: missing subcommand (list, run NAME, all)");
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCode.BAD_INPUT;
    }
}
