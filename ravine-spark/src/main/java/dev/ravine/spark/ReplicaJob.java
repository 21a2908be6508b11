package dev.ravine.spark;

import dev.ravine.app.run.TrainingRun;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.List;

/**
 * What every barrier task needs to build its replica, in serializable form (absolute paths as strings): the config
 * and its overrides or the run to resume, the run folder rank 0 writes, and where the driver listens for rank 0's
 * output.
 */
record ReplicaJob(String config, List<String> overrides, String out, String workingDir, String resume, String driverHost,
                  int consolePort, int ringTimeoutMillis) implements Serializable {

    TrainingRun.Request request() {
        Path working = Path.of(workingDir);
        if (resume != null) return TrainingRun.Request.resume(Path.of(resume), working, false);
        return new TrainingRun.Request(Path.of(config), overrides, Path.of(out), null, working, false);
    }
}
