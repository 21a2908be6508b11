package dev.ravine.spark;

import static dev.ravine.spark.SparkFixtures.blobsConfig;
import static dev.ravine.spark.SparkFixtures.maxDifference;
import static dev.ravine.spark.SparkFixtures.ravine;
import static dev.ravine.spark.SparkFixtures.ravineOk;
import static dev.ravine.spark.SparkFixtures.weights;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ravine train --spark local[2] --workers 2} against {@code ravine train} of the same config: the weights after
 * 100 steps agree to float rounding (the 2 replicas each see half of every batch of 25, 13 and 12 rows), rank 0 wrote
 * the run folder (summary, run.db, checkpoints, report) with the doctor's readings, and a run resumed data-parallel
 * from its step-50 checkpoint ends with the same weights.
 */
class DataParallelTrainingTest {
    @TempDir
    Path dir;

    @Test
    void twoWorkersTrainTheWeightsOneProcessTrainsAndResumeContinuesThem() throws Exception {
        Path config = blobsConfig(dir, "", 5);
        Path single = dir.resolve("single"), spark = dir.resolve("spark");
        ravineOk("train", config.toString(), "--out", single.toString());
        String out = ravineOk("train", config.toString(), "--spark", "local[2]", "--workers", "2", "--out", spark.toString());
        assertTrue(out.contains("spark: 2 data-parallel workers on local[2]"), out);
        assertTrue(out.contains("completed: all 5 epochs done"), "rank 0's lines reach the driver:\n" + out);
        assertTrue(out.contains("rank 1: "), out);

        double diff = maxDifference(weights(single, 100), weights(spark, 100));
        System.out.println("max |w_2workers - w_single| after 100 steps: " + diff);
        assertTrue(diff < 1e-4, "max weight difference after 100 steps " + diff);
        double before = maxDifference(weights(single, 100), weights(single, 10));
        assertTrue(before > 100 * diff, "the weights moved far more than the replicas differ: " + before + " vs " + diff);

        var summary = new ObjectMapper().readTree(spark.resolve("summary.json").toFile());
        assertEquals("completed", summary.get("status").asText());
        assertEquals(100, summary.get("steps").asInt());
        assertTrue(Files.isRegularFile(spark.resolve("report.html")));

        // a completed run has nothing to resume: refused before Spark starts, as a one-process resume is
        Object[] refused = ravine("train", "--resume", spark.toString(), "--spark", "local[2]", "--workers", "2");
        assertEquals(2, (int) refused[0], (String) refused[1]);
        assertTrue(((String) refused[1]).contains("there is nothing to resume in " + spark + ": it completed"), (String) refused[1]);
        assertTrue(!((String) refused[1]).contains("spark: 2 data-parallel workers"), "refused before Spark starts:\n" + refused[1]);

        // resume from step 50: delete the later checkpoints, as if the run had been lost there
        for (long s = 60; s <= 100; s += 10) Files.delete(spark.resolve("checkpoints").resolve(String.format("step-%09d.ckpt", s)));
        try (var files = Files.list(spark.resolve("checkpoints"))) {
            files.filter(p -> !p.getFileName().toString().startsWith("step-")).forEach(p -> p.toFile().delete());
        }
        String resumed = ravineOk("train", "--resume", spark.toString(), "--spark", "local[2]", "--workers", "2");
        assertTrue(resumed.contains("resuming"), resumed);
        double afterResume = maxDifference(weights(single, 100), weights(spark, 100));
        assertTrue(afterResume < 1e-4, "resumed data-parallel run against the single process: " + afterResume);
    }

    @Test
    void aRepairingDoctorIsRefusedBeforeSparkStarts() throws Exception {
        Path config = blobsConfig(dir, "", 1);
        Object[] r = ravine("train", config.toString(), "--set", "doctor.repair=true", "--spark", "local[2]", "--workers", "2");
        assertEquals(2, (int) r[0], (String) r[1]);
        assertTrue(((String) r[1]).contains("doctor.repair: a repair rolls back"), (String) r[1]);
    }
}
