package dev.ravine.app.sweep;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A trial trained by {@code ravine train} in a child JVM of the same Java, class path and JVM options as this one: a
 * trial cannot disturb another's state, a stopped trial ends through the trainer's own SIGTERM handling (its summary
 * says stopped), and its output goes to its own log file.
 */
final class TrialProcess {
    private TrialProcess() {}

    static Process start(Path config, Trial trial, int threads, List<String> sets, Path workingDir, Path log) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            // a debugger or agent of this JVM is not the trial's
            if (!arg.startsWith("-agentlib") && !arg.startsWith("-javaagent") && !arg.startsWith("-Xrunjdwp")) cmd.add(arg);
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.ravine.app.cli.Main", "train", config.toString(),
                "--out", trial.folder().toString()));
        for (String s : sets) cmd.addAll(List.of("--set", s));
        for (Map.Entry<String, String> e : trial.combination().entrySet()) cmd.addAll(List.of("--set", e.getKey() + "=" + e.getValue()));
        cmd.addAll(List.of("--set", "seed=" + trial.seed(), "--set", "training.threads=" + threads));
        return new ProcessBuilder(cmd).directory(workingDir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }
}
