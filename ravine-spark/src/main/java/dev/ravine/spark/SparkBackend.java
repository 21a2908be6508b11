package dev.ravine.spark;

import dev.ravine.app.cluster.ClusterBackend;
import dev.ravine.app.run.TrainingRun;
import dev.ravine.app.sweep.TrialOutcome;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/** Apache Spark as the ravine command's cluster engine (registered in META-INF/services). */
public final class SparkBackend implements ClusterBackend {
    @Override
    public int train(String master, int workers, TrainingRun.Request request, PrintWriter out) {
        return SparkTraining.train(master, workers, request, out);
    }

    @Override
    public SweepTrials sweepTrials(String master, Path config, List<String> sets, Path folder, Path workingDir, Consumer<TrialOutcome> onDone) {
        return SparkSweep.of(master, config, sets, folder, workingDir, onDone);
    }
}
