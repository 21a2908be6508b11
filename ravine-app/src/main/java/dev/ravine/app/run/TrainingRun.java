package dev.ravine.app.run;

import dev.ravine.app.build.RunAssembly;
import dev.ravine.app.config.ConfigException;
import dev.ravine.app.config.ConfigReader;
import dev.ravine.app.config.RunConfig;
import dev.ravine.app.store.RunDirectory;
import dev.ravine.kernel.ComputePool;
import dev.ravine.train.DataParallel;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/**
 * One {@code ravine train} (or {@code demo}) run, from config file to run folder: read and check the config, build
 * everything it describes ({@link RunAssembly}: model, data, loaders, loss, optimizer; a mistake fails here and leaves
 * no half-made run folder), then run it in a {@link TrainingSession}, which creates the folder (or continues a resumed
 * one), trains and records the outcome.
 */
public final class TrainingRun {

    /**
     * @param out         the run folder, or null for {@code runs/<name>-<timestamp>} under {@code workingDir}
     * @param runName     the name of the default run folder, or null for the config's name
     * @param interactive whether {@code out} is a terminal (progress redrawn in place)
     * @param started     told the run folder once its run.db exists, before the first step (ravine train --dashboard); or null
     */
    public record Request(Path config, List<String> overrides, Path out, String runName, Path workingDir, boolean interactive,
                          Path resume, Consumer<RunDirectory> started) {
        public Request(Path config, List<String> overrides, Path out, String runName, Path workingDir, boolean interactive) {
            this(config, overrides, out, runName, workingDir, interactive, null, null);
        }

        /** {@code ravine train --resume RUN_DIR}: continue the run in that folder from its newest intact checkpoint. */
        public static Request resume(Path runDir, Path workingDir, boolean interactive) {
            return new Request(null, List.of(), null, null, workingDir, interactive, runDir, null);
        }

        /** This request, telling {@code started} the run folder when the run starts. */
        public Request whenStarted(Consumer<RunDirectory> started) {
            return new Request(config, overrides, out, runName, workingDir, interactive, resume, started);
        }
    }

    private final Request request;
    private final PrintWriter out;
    /** The checkpoint a resumed run continues from; null for a new run. */
    private final Resumption resumption;
    /** This run's part in a data-parallel run (rank 0: the folder, store, doctor and checkpoints), or null. */
    private final DataParallel replicas;

    private TrainingRun(Request request, PrintWriter out, Resumption resumption, DataParallel replicas) {
        this.request = request;
        this.out = out;
        this.resumption = resumption;
        this.replicas = replicas;
    }

    /** How a run ended: the command's exit code and the run folder. */
    public record Outcome(int exitCode, RunDirectory run) {}

    /** Runs the request; bad input is thrown before any run folder is created (see {@code Main} for the exit codes). */
    public static Outcome execute(Request request, PrintWriter out) {
        return execute(request, out, null);
    }

    /**
     * As {@link #execute(Request, PrintWriter)}, as rank 0 of a data-parallel run whose replicas train in step with it
     * ({@link ReplicaRun}); null trains alone.
     */
    static Outcome execute(Request request, PrintWriter out, DataParallel replicas) {
        if (request.resume() != null) {
            try (Resumption from = Resumption.open(request.resume())) {
                // The run's resolved config: the same model, data, seed and threads as the run it continues.
                RunConfig config = ConfigReader.read(from.run().config(), List.of(), request.workingDir());
                refuseIfEnded(from, request.resume());
                return execute(config, new TrainingRun(request, out, from, replicas));
            }
        }
        RunConfig config = ConfigReader.read(request.config(), request.overrides(), request.workingDir());
        return execute(config, new TrainingRun(request, out, null, replicas));
    }

    /** A run that completed or was ended by early stopping has nothing to resume: say so, and how to train longer. */
    static void refuseIfEnded(Resumption from, Path resume) {
        String ended = from.endedBy();
        if (ended != null) {
            throw new ConfigException("there is nothing to resume in " + resume + ": " + ended + " (its summary.json;"
                    + " newest checkpoint " + from.run().root().relativize(from.file()) + "); to train longer, start a new run"
                    + " from its config with --set training.epochs=N: ravine train " + from.run().config());
        }
    }

    private static Outcome execute(RunConfig config, TrainingRun run) {
        Integer threads = config.training().threads();
        if (threads == null || threads == ComputePool.threads()) return run.train(config);
        // A pool of this size for this run only: the engine's shared pool is sized once per process.
        Outcome[] outcome = new Outcome[1];
        ComputePool.runWithThreads(threads, () -> outcome[0] = run.train(config));
        return outcome[0];
    }

    /** Builds everything from the config first (bad input fails here, before any run folder exists), then runs it. */
    private Outcome train(RunConfig config) {
        Instant started = Instant.now();
        RunAssembly assembly = RunAssembly.of(config);
        return new TrainingSession(request, out, assembly, resumption, started, replicas).run();
    }
}
