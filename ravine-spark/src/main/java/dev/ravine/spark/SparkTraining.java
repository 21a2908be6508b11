package dev.ravine.spark;

import dev.ravine.app.ExitCode;
import dev.ravine.app.config.ConfigReader;
import dev.ravine.app.config.RunConfig;
import dev.ravine.app.run.ReplicaRun;
import dev.ravine.app.run.TrainingRun;
import dev.ravine.app.store.RunDirectory;
import dev.ravine.train.Trainer;
import java.io.PrintWriter;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.rdd.RDD;
import scala.Function1;
import scala.collection.Iterator;
import scala.jdk.javaapi.CollectionConverters;
import scala.reflect.ClassTag$;

/**
 * The driver of {@code ravine train CONFIG --spark MASTER --workers N}: checks the config here (bad input fails
 * before Spark starts), fixes the run folder, runs N barrier tasks that train in step ({@link ReplicaTask}), prints
 * rank 0's lines as they come and each rank's step time split into computation and all-reduce. A lost worker fails
 * the stage (Spark kills the other tasks; no retry) and the run's newest checkpoint is named with the command that
 * resumes it.
 */
final class SparkTraining {
    /** How long a replica waits for a ring neighbour's bytes before it gives up on it. */
    static final int RING_TIMEOUT_MILLIS = 10 * 60 * 1000;

    private SparkTraining() {}

    static int train(String master, int workers, TrainingRun.Request request, PrintWriter out) {
        Path working = request.workingDir().toAbsolutePath().normalize();
        RunConfig config;
        Path folder;
        List<String> overrides = new ArrayList<>(request.overrides());
        if (request.resume() != null) {
            folder = working.resolve(request.resume()).toAbsolutePath().normalize();
            ReplicaRun.checkResume(folder);
            config = ConfigReader.read(RunDirectory.of(folder).config(), List.of(), working);
        } else {
            config = ConfigReader.read(request.config(), request.overrides(), working);
            folder = request.out() != null ? working.resolve(request.out()).toAbsolutePath().normalize() : defaultFolder(working, config);
        }
        ReplicaRun.check(config, workers);
        try (JavaSparkContext sc = SparkCluster.start(master, "ravine train " + config.name());
             ConsoleRelay relay = ConsoleRelay.open(out)) {
            if (request.resume() == null) overrides.add("training.threads=" + SparkCluster.taskCpus(sc));
            ReplicaJob job = new ReplicaJob(request.config() == null ? null : working.resolve(request.config()).toString(), overrides,
                    folder.toString(), working.toString(), request.resume() == null ? null : folder.toString(),
                    sc.getConf().get("spark.driver.host"), relay.port(), RING_TIMEOUT_MILLIS);
            out.println("spark: " + workers + " data-parallel workers on " + master + ", run folder " + folder);
            out.flush();
            List<StepFigures> figures;
            try {
                figures = runReplicas(sc, job, workers);
            } catch (Exception e) { // SparkException is checked, though Scala's collect() does not declare it
                relay.close();
                return lost(e, folder, master, workers, out);
            }
            relay.close();
            out.println("spark: median step per rank (computation + all-reduce of " + figures.getFirst().floatsPerStep() + " floats):");
            out.println(StepFigures.describe(figures));
            out.flush();
            return figures.stream().filter(f -> f.rank() == 0).findFirst().map(StepFigures::exitCode).orElse(ExitCode.INTERNAL_ERROR);
        }
    }

    static List<StepFigures> runReplicas(JavaSparkContext sc, ReplicaJob job, int workers) {
        RDD<Integer> ranks = sc.parallelize(IntStream.range(0, workers).boxed().toList(), workers).rdd();
        Function1<Iterator<Integer>, Iterator<StepFigures>> task = (Function1<Iterator<Integer>, Iterator<StepFigures>> & Serializable)
                it -> CollectionConverters.asScala(List.of(ReplicaTask.run(job)).iterator());
        Object collected = ranks.barrier().mapPartitions(task, false, ClassTag$.MODULE$.apply(StepFigures.class)).collect();
        List<StepFigures> out = new ArrayList<>();
        for (Object o : (Object[]) collected) out.add((StepFigures) o);
        return out;
    }

    /** The folder {@code ravine train} would pick: runs/NAME-STAMP under the working folder, the first free one. */
    private static Path defaultFolder(Path working, RunConfig config) {
        Path runs = working.resolve("runs");
        String stem = config.name() + "-" + RunDirectory.STAMP.format(LocalDateTime.now());
        Path dir = runs.resolve(stem);
        for (int i = 2; Files.exists(dir); i++) dir = runs.resolve(stem + "-" + i);
        return dir;
    }

    /** A replica failed (a worker lost, a peer's socket closed, an error in training): name the checkpoint to resume from. */
    private static int lost(Exception e, Path folder, String master, int workers, PrintWriter out) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        Path newest = Trainer.latestCheckpoint(folder.resolve("checkpoints"));
        out.println("spark: the data-parallel run failed: " + firstLine(e.getMessage()) + (root != e ? " (" + firstLine(root.toString()) + ")" : ""));
        if (newest != null) {
            out.println("spark: its newest checkpoint is " + folder.relativize(newest) + " in " + folder + "; continue with: ravine train --resume "
                    + folder + " --spark " + master + " --workers " + workers);
        } else {
            out.println("spark: it wrote no checkpoint before it failed; train it again from its config");
        }
        out.flush();
        return ExitCode.INTERNAL_ERROR;
    }

    private static String firstLine(String s) {
        if (s == null) return "";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
