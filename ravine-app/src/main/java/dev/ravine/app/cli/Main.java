package dev.ravine.app.cli;

import dev.ravine.app.ExitCode;
import dev.ravine.app.Version;
import dev.ravine.app.config.ConfigException;
import dev.ravine.app.config.QuotedValues;
import dev.ravine.app.report.ReportException;
import dev.ravine.app.run.ProgressBar;
import dev.ravine.app.store.RunStoreException;
import dev.ravine.data.DataFormatException;
import dev.ravine.io.CheckpointException;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * The {@code ravine} command. {@link #run} executes one command line with given output streams and returns the exit
 * code (tests call it directly); {@link #main} is the process entry point.
 *
 * <p>Modules that depend on the app add their commands as {@link ContributedCommand}s.
 *
 * <p>Errors: the kinds of bad input (a config, data, shape or checkpoint problem, a bad argument, a file that cannot
 * be read or written) print one message on stderr, without a stack trace, and exit with 2; anything else is a bug,
 * printed as "internal error" with its stack trace, exit 1. See {@link ExitCode}.
 */
@Command(name = "ravine", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Trains neural networks on the JVM from a YAML config and keeps each run in a folder.",
        subcommands = {TrainCommand.class, EvalCommand.class, PredictCommand.class, ExportCommand.class, EnsembleCommand.class, DoctorCommand.class, ReportCommand.class, CompareCommand.class, SweepCommand.class, DashboardCommand.class,
                DemoCommand.class, CommandLine.HelpCommand.class},
        footerHeading = "%nExit codes:%n",
        footer = {"  0  success", "  1  internal error (a bug: the stack trace is printed)",
                  "  2  bad input: config, arguments, data, shapes, checkpoint",
                  "  3  training diverged (loss NaN/Inf); the last checkpoint is kept",
                  "130  interrupted (Ctrl-C/SIGTERM); the summary says stopped"})
public final class Main implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    private final boolean interactive;
    private final Path workingDir;

    Main(boolean interactive, Path workingDir) {
        this.interactive = interactive;
        this.workingDir = workingDir;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs one command line, writing to {@code out} and {@code err}, and returns the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        boolean interactive = out == System.out && ProgressBar.isTerminal();
        Charset charset = out.charset();
        PrintWriter o = new PrintWriter(new OutputStreamWriter(out, charset), true);
        PrintWriter e = new PrintWriter(new OutputStreamWriter(err, err.charset()), true);
        CommandLine cmd = new CommandLine(new Main(interactive, Path.of("").toAbsolutePath()));
        // Commands of modules above the app (ravine-lab's lab), when they are on the class path; added first, so the
        // streams and error handlers set below reach them too.
        for (ContributedCommand extra : ServiceLoader.load(ContributedCommand.class)) cmd.addSubcommand(extra);
        cmd.setOut(o);
        cmd.setErr(e);
        cmd.setExecutionExceptionHandler(Main::handleFailure);
        cmd.setParameterExceptionHandler(Main::handleUsageError);
        try {
            return cmd.execute(args);
        } catch (OutOfMemoryError | StackOverflowError error) {
            e.println("ravine: error: " + ResourceExhaustion.explain(error));
            return ExitCode.BAD_INPUT;
        } catch (ExceptionInInitializerError error) {
            if (!isBadInput(error.getCause())) throw error;
            // a kernel's start-up settings read once, e.g. -Dravine.gemm.block=9x9 in RAVINE_JAVA_OPTS
            e.println("ravine: error: " + error.getCause().getMessage());
            return ExitCode.BAD_INPUT;
        } finally {
            o.flush();
            e.flush();
        }
    }

    /** Without a command: the usage, as an error. */
    @Override
    public Integer call() {
        spec.commandLine().getErr().println("ravine: missing command");
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCode.BAD_INPUT;
    }

    boolean interactive() {
        return interactive;
    }

    Path workingDir() {
        return workingDir;
    }

    /** Whether an exception is the user's input at fault (shown as a message) rather than a bug (shown with a trace). */
    static boolean isBadInput(Throwable t) {
        return t instanceof ConfigException || t instanceof DataFormatException || t instanceof CheckpointException
                || t instanceof IllegalArgumentException // TensorShapeException and the core's argument checks
                || t instanceof UncheckedIOException || t instanceof IOException || t instanceof RunStoreException
                || t instanceof ReportException || t instanceof dev.ravine.onnx.OnnxExportException
                || t instanceof dev.ravine.app.dashboard.DashboardException;
    }

    private static int handleFailure(Exception ex, CommandLine cmd, CommandLine.ParseResult parsed) {
        PrintWriter err = cmd.getErr();
        if (isBadInput(ex)) {
            err.println(prefix(cmd) + "error: " + QuotedValues.inMessage(ex.getMessage() != null ? ex.getMessage() : ex.toString()));
            err.flush();
            return ExitCode.BAD_INPUT;
        }
        err.println("internal error: " + ex);
        ex.printStackTrace(err);
        err.println("This is a bug in Ravine; please report the lines above.");
        err.flush();
        return ExitCode.INTERNAL_ERROR;
    }

    private static int handleUsageError(CommandLine.ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println(prefix(cmd) + ex.getMessage());
        err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
        err.flush();
        return ExitCode.BAD_INPUT;
    }

    private static String prefix(CommandLine cmd) {
        return cmd.getCommandSpec().qualifiedName() + ": ";
    }
}
