package dev.ravine.spark;

import dev.ravine.app.cluster.ClusterBackend;
import dev.ravine.app.sweep.Sweep;
import dev.ravine.app.sweep.Trial;
import dev.ravine.app.sweep.TrialOutcome;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * {@code ravine sweep --spark MASTER}: every trial is a one-task Spark job submitted at once, so the cluster runs as
 * many at a time as it has task slots (each trial training with spark.task.cpus threads), and each trial's outcome is
 * heard the moment its job ends.
 */
final class SparkSweep implements Sweep.TrialExecutor {
    /** How often the driver looks for finished trials. */
    static final long POLL_MILLIS = 100;
    /** The exit code of a trial whose Spark task failed: no trainer process of its own ended, so none of its codes. */
    static final int LOST_TASK_EXIT_CODE = -1;

    private final JavaSparkContext sc;
    private final Path config;
    private final List<String> sets;
    private final Path logs;
    private final Path workingDir;
    private final Consumer<TrialOutcome> onDone;

    private SparkSweep(JavaSparkContext sc, Path config, List<String> sets, Path folder, Path workingDir, Consumer<TrialOutcome> onDone) {
        this.sc = sc;
        this.config = config;
        this.sets = sets;
        this.logs = folder.resolve("logs");
        this.workingDir = workingDir;
        this.onDone = onDone;
    }

    /**
     * Joins the cluster now, so that the table can say how many trials it ran at a time (its task slots) and with how
     * many threads each (spark.task.cpus); the context is left when {@link #run} returns.
     */
    static ClusterBackend.SweepTrials of(String master, Path config, List<String> sets, Path folder, Path workingDir,
                                         Consumer<TrialOutcome> onDone) {
        JavaSparkContext sc = SparkCluster.start(master, "ravine sweep " + config.getFileName());
        SparkSweep sweep = new SparkSweep(sc, config.toAbsolutePath(), sets, folder.toAbsolutePath(), workingDir.toAbsolutePath(), onDone);
        int threads = SparkCluster.taskCpus(sc);
        return new ClusterBackend.SweepTrials(sweep, Math.max(1, sc.defaultParallelism() / threads), threads);
    }

    @Override
    public List<TrialOutcome> run(List<Trial> trials) throws InterruptedException {
        try (sc) {
            int threads = SparkCluster.taskCpus(sc);
            List<JavaFutureAction<List<TrialTask.Ended>>> jobs = new ArrayList<>();
            for (Trial t : trials) {
                TrialTask task = TrialTask.of(config, sets, threads, logs, workingDir, t);
                jobs.add(sc.parallelize(List.of(task), 1).map(TrialTask::run).collectAsync());
            }
            List<TrialOutcome> out = new ArrayList<>();
            boolean[] heard = new boolean[trials.size()];
            while (out.size() < trials.size()) {
                for (int i = 0; i < trials.size(); i++) {
                    if (heard[i] || !jobs.get(i).isDone()) continue;
                    heard[i] = true;
                    TrialOutcome o = outcome(trials.get(i), jobs.get(i));
                    out.add(o);
                    onDone.accept(o);
                }
                Thread.sleep(POLL_MILLIS);
            }
            out.sort(Comparator.comparingInt(o -> o.trial().index()));
            return out;
        }
    }

    /** A trial whose task failed (its worker lost) is reported failed, as a trial whose process died is locally. */
    private static TrialOutcome outcome(Trial trial, JavaFutureAction<List<TrialTask.Ended>> job) throws InterruptedException {
        try {
            TrialTask.Ended e = job.get().getFirst();
            return TrialOutcome.ranElsewhere(trial, e.stoppedEarly(), e.wallSeconds(), e.exitCode());
        } catch (ExecutionException e) {
            return TrialOutcome.ranElsewhere(trial, false, Double.NaN, LOST_TASK_EXIT_CODE);
        }
    }
}
