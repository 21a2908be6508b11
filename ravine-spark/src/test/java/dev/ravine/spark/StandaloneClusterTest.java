package dev.ravine.spark;

import static dev.ravine.spark.SparkFixtures.blobsConfig;
import static dev.ravine.spark.SparkFixtures.maxDifference;
import static dev.ravine.spark.SparkFixtures.ravine;
import static dev.ravine.spark.SparkFixtures.ravineOk;
import static dev.ravine.spark.SparkFixtures.weights;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ravine.io.CheckpointFile;
import dev.ravine.train.Trainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ravine on a real Spark standalone cluster on localhost (a master and two one-core workers, child JVMs started from
 * the Spark jars, executors in their own JVMs), one cluster for the whole test to keep it short: data-parallel training
 * on two executors matches one process, and a worker killed mid-run (its executor JVM, SIGKILL) fails the run
 * cleanly, its newest checkpoint intact, and {@code --resume} on the cluster finishes it. A sweep on this cluster is
 * measured in bench/ (bench/spark-cluster.sh); SparkSweepTest runs one on local[2].
 */
class StandaloneClusterTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void trainSweepAndSurviveALostWorkerOnAStandaloneCluster() throws Exception {
        System.setProperty("spark.executor.memory", "512m");
        long start = System.nanoTime();
        try (StandaloneCluster cluster = new StandaloneCluster(dir.resolve("cluster"), 2, "1g")) {
            Path data = Files.createDirectories(dir.resolve("dp"));
            Path config = blobsConfig(data, "", 5);
            String out = ravineOk("train", config.toString(), "--spark", cluster.url(), "--workers", "2", "--out", data.resolve("spark").toString());
            assertTrue(out.contains("completed: all 5 epochs done") && out.contains("rank 1: "), out);
            System.out.printf("standalone: cluster and data-parallel run %.1f s%n", (System.nanoTime() - start) / 1e9);
            ravineOk("train", config.toString(), "--out", data.resolve("single").toString());
            double diff = maxDifference(weights(data.resolve("single"), 100), weights(data.resolve("spark"), 100));
            assertTrue(diff < 1e-4, "two executors against one process after 100 steps: " + diff);

            long t1 = System.nanoTime();
            lostWorkerThenResume(cluster);
            System.out.printf("standalone: lost worker and resume %.1f s%n", (System.nanoTime() - t1) / 1e9);
        } finally {
            System.clearProperty("spark.executor.memory");
        }
    }

    private void lostWorkerThenResume(StandaloneCluster cluster) throws Exception {
        Path data = Files.createDirectories(dir.resolve("lost"));
        Path config = blobsConfig(data, "", 60);
        Path run = data.resolve("run");
        CompletableFuture<Object[]> training = CompletableFuture.supplyAsync(
                () -> ravine("train", config.toString(), "--spark", cluster.url(), "--workers", "2", "--out", run.toString()));
        long deadline = System.currentTimeMillis() + 120_000;
        while (Trainer.latestCheckpoint(run.resolve("checkpoints")) == null && System.currentTimeMillis() < deadline && !training.isDone()) {
            Thread.sleep(50);
        }
        assertTrue(cluster.hasExecutor(1), "worker 1 runs a replica");
        cluster.killExecutorsOf(1);
        long killed = System.nanoTime();
        Object[] ended = training.get(120, TimeUnit.SECONDS);
        System.out.printf("standalone: the run failed %.1f s after the kill%n", (System.nanoTime() - killed) / 1e9);
        String out = (String) ended[1];
        assertNotEquals(0, (int) ended[0], out);
        assertTrue(out.contains("spark: the data-parallel run failed"), out);
        assertTrue(out.contains("continue with: ravine train --resume " + run + " --spark " + cluster.url() + " --workers 2"), out);
        Path newest = Trainer.latestCheckpoint(run.resolve("checkpoints"));
        long step = CheckpointFile.read(newest).step(); // reads back intact: lengths and checksum verified
        assertTrue(step > 0 && step < 1200, "stopped mid-run at step " + step);

        String resumed = ravineOk("train", "--resume", run.toString(), "--spark", cluster.url(), "--workers", "2");
        assertTrue(resumed.contains("completed: all 60 epochs done"), resumed);
        assertEquals(1200, JSON.readTree(run.resolve("summary.json").toFile()).get("steps").asInt(), resumed);
    }
}
