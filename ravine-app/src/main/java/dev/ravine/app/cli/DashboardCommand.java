package dev.ravine.app.cli;

import dev.ravine.app.ExitCode;
import dev.ravine.app.Version;
import dev.ravine.app.dashboard.Dashboard;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code ravine dashboard [RUNS_DIR] [--port N]}: the live web dashboard over a folder of runs, until Ctrl-C. */
@Command(name = "dashboard", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Serves a live dashboard of the runs under RUNS_DIR on 127.0.0.1 until Ctrl-C:",
                "the runs page (status, progress, metrics, top finding), a page per run following it",
                "as it trains (the report's charts, findings and repairs as they are stored) and a",
                "comparison page for two or more runs."})
final class DashboardCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ParentCommand
    Main main;

    @Parameters(index = "0", arity = "0..1", paramLabel = "RUNS_DIR", description = "the folder of run folders (default: runs)")
    Path folder = Path.of("runs");

    @Option(names = "--port", paramLabel = "N", description = "the port (default " + Dashboard.DEFAULT_PORT + ", or any free one "
            + "when it is taken; 0: any free port)")
    Integer port;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter o = spec.commandLine().getOut();
        try (Dashboard dashboard = Dashboard.start(main.workingDir().resolve(folder), port)) {
            o.println("dashboard: " + dashboard.url() + " (runs under " + folder + "; Ctrl-C stops it)");
            o.flush();
            dashboard.join();
        }
        return ExitCode.OK;
    }
}
