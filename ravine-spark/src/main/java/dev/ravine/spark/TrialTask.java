package dev.ravine.spark;

import dev.ravine.app.sweep.SweepRunner;
import dev.ravine.app.sweep.Trial;
import dev.ravine.app.sweep.TrialOutcome;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * One sweep trial as a Spark task, in serializable form: the task trains it on its worker exactly as a local sweep
 * does (a child JVM, its run.db polled for a blocking finding that stops it early) into the trial's folder on the
 * shared path, and reports back how it ended; the driver reads the rest from that folder.
 */
record TrialTask(String config, List<String> sets, int threads, String logs, String workingDir, int index,
                 LinkedHashMap<String, String> combination, long seed, String folder) implements Serializable {

    static TrialTask of(Path config, List<String> sets, int threads, Path logs, Path workingDir, Trial t) {
        return new TrialTask(config.toString(), List.copyOf(sets), threads, logs.toString(), workingDir.toString(), t.index(),
                new LinkedHashMap<>(t.combination()), t.seed(), t.folder().toString());
    }

    Trial trial() {
        return new Trial(index, combination, seed, Path.of(folder));
    }

    /** How the trial ended, as the worker saw it. */
    record Ended(int index, boolean stoppedEarly, double wallSeconds, int exitCode) implements Serializable {}

    Ended run() throws InterruptedException {
        TrialOutcome o = SweepRunner.runTrial(Path.of(config), sets, threads, Path.of(logs), Path.of(workingDir), trial());
        return new Ended(index, o.stoppedBy() != null, o.wallSeconds(), o.exitCode());
    }
}
