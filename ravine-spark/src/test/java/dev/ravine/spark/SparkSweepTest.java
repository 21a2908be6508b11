package dev.ravine.spark;

import static dev.ravine.spark.SparkFixtures.ravineOk;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ravine sweep --spark local[2]}: each trial a Spark task (two at a time), trained in a child JVM of the
 * executor as a local sweep trains it, the healthy learning rate completed, the far too high one stopped by the
 * doctor's blocking finding, and the same sweep table written.
 */
class SparkSweepTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void eachTrialIsASparkTaskWithTheDoctorsEarlyStop() throws Exception {
        Path sweepDir = Files.createDirectories(dir.resolve("sw"));
        SparkFixtures.writeBlobs(sweepDir.resolve("train.csv"), 120, 11);
        Path config = sweepDir.resolve("blobs.yaml");
        Files.writeString(config, """
                seed: 4
                data: {train: csv:train.csv, validation_split: 0.2, label: label}
                model:
                  layers: [{linear: {out: 16}}, tanh, {linear: {out: 3}}]
                loss: cross_entropy
                optimizer: {name: sgd, lr: 0.05}
                doctor: {every: 2}
                training: {epochs: 25, batch_size: 24}
                """);
        Path sweep = sweepDir.resolve("sweep");
        String out = ravineOk("sweep", config.toString(), "--grid", "optimizer.lr=0.05,20.0", "--seeds", "1", "--spark", "local[2]",
                "--out", sweep.toString());
        assertTrue(out.contains("on Spark local[2]"), out);
        assertEquals("completed", JSON.readTree(sweep.resolve("trials/optimizer.lr=0.05_seed=1/summary.json").toFile()).get("status").asText(), out);
        assertTrue(out.contains("stopped early: optimizer.lr=20.0_seed=1: the doctor found a blocking problem at step"), out);
        assertTrue(Files.readString(sweep.resolve("sweep.txt")).contains("per combination"), out);
    }

    @Test
    void aBadGridValueIsRefusedBeforeSparkStarts() throws Exception {
        SparkFixtures.writeBlobs(dir.resolve("train.csv"), 30, 1);
        Path config = SparkFixtures.blobsConfig(dir, "", 1);
        Object[] r = SparkFixtures.ravine("sweep", config.toString(), "--grid", "optimizer.lr=0.01,fast", "--seeds", "1", "--spark", "local[2]",
                "--out", dir.resolve("sweep").toString());
        assertEquals(2, (int) r[0], (String) r[1]);
        assertTrue(((String) r[1]).contains("optimizer.lr"), (String) r[1]);
        // getOrCreate returns a context still running in this JVM, else starts this one
        var sc = org.apache.spark.SparkContext.getOrCreate(new org.apache.spark.SparkConf().setMaster("local[1]").setAppName("probe")
                .set("spark.ui.enabled", "false"));
        try {
            assertEquals("probe", sc.appName(), "no Spark context was left running by the refused sweep");
        } finally {
            sc.stop();
        }
    }
}
