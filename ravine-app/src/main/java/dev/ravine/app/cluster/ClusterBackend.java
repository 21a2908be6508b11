package dev.ravine.app.cluster;

import dev.ravine.app.config.ConfigException;
import dev.ravine.app.run.TrainingRun;
import dev.ravine.app.sweep.Sweep;
import dev.ravine.app.sweep.TrialOutcome;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;
import java.util.function.Consumer;

/**
 * A distributed engine that {@code ravine train --spark} and {@code ravine sweep --spark} run on. The command knows
 * only this interface; the engine (ravine-spark, with Apache Spark's jars) is found with {@link ServiceLoader} when its
 * module is on the class path, so a plain {@code ravine} carries none of it.
 */
public interface ClusterBackend {
    /**
     * Synchronous data-parallel training of {@code request} on {@code workers} workers of the cluster at {@code master}:
     * rank 0 writes the run folder (a path every worker can reach), the others train in step with it.
     *
     * @return the command's exit code, as {@code ravine train}'s
     */
    int train(String master, int workers, TrainingRun.Request request, PrintWriter out);

    /**
     * Runs a sweep's trials as tasks of the cluster at {@code master}, one trial per task, into the sweep folder's
     * {@code trials/} on a path every worker can reach; {@code onDone} hears each trial as it ends. The cluster is
     * left when the executor's run returns.
     *
     * @return the executor and how many trials it runs at a time (for the sweep table)
     */
    SweepTrials sweepTrials(String master, Path config, List<String> sets, Path folder, Path workingDir, Consumer<TrialOutcome> onDone);

    /** A cluster's trial executor and its parallelism: trials at a time, compute threads each. */
    record SweepTrials(Sweep.TrialExecutor executor, int parallel, int threads) {}

    /** The engine on the class path, or a message saying how to get it. */
    static ClusterBackend load(String option) {
        return ServiceLoader.load(ClusterBackend.class).findFirst().orElseThrow(() -> new ConfigException(option
                + " needs the ravine-spark module on the class path: build it (mvn -pl ravine-spark -am install, which ./ravine "
                + "does when the module is present) and run through ./ravine, which adds its jars"));
    }
}
