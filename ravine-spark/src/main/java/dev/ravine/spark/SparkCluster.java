package dev.ravine.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The Spark application Ravine runs as: a master URL (local[N], spark://HOST:PORT, ...), no web UI, and no retries,
 * because a retried data-parallel stage or trial would start over into a run folder that already holds the first
 * attempt's files. Any spark.* system property (RAVINE_JAVA_OPTS="-Dspark.executor.memory=4g") is applied on top.
 */
final class SparkCluster {
    private SparkCluster() {}

    static JavaSparkContext start(String master, String appName) {
        SparkConf conf = new SparkConf()
                .setIfMissing("spark.ui.enabled", "false")
                .setIfMissing("spark.executor.memory", "1g")
                .setIfMissing("spark.task.maxFailures", "1")
                .setIfMissing("spark.stage.maxConsecutiveAttempts", "1")
                // how often a barrier stage re-checks for enough free slots while executors register (default 15 s)
                .setIfMissing("spark.scheduler.barrier.maxConcurrentTasksCheck.interval", "1s")
                .setIfMissing("spark.scheduler.barrier.maxConcurrentTasksCheck.maxFailures", "120")
                // Workers of a standalone cluster on a shared file system load Ravine from where this JVM does.
                .setIfMissing("spark.executor.extraClassPath", System.getProperty("java.class.path"))
                .setIfMissing("spark.executor.extraJavaOptions", "--add-modules jdk.incubator.vector --sun-misc-unsafe-memory-access=allow")
                .setMaster(master)
                .setAppName(appName);
        return new JavaSparkContext(conf);
    }

    /** The compute threads each task trains with: spark.task.cpus. */
    static int taskCpus(JavaSparkContext sc) {
        return sc.getConf().getInt("spark.task.cpus", 1);
    }
}
