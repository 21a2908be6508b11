package dev.ravine.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ravine.app.ExitCode;
import dev.ravine.app.store.RunRecords;
import dev.ravine.doctor.instrument.StepReading;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Adam runs store the doctor's effective-step readings in run.db, and ravine doctor reads them back; SGD runs have none. */
class AdaptiveReadingsTest {
    @TempDir
    Path dir;

    private List<StepReading> train(String optimizer) throws Exception {
        TestData.writeSubset(dir, "train", "train", 200);
        TestData.writeSubset(dir, "t10k", "test", 50);
        Path config = dir.resolve(optimizer.contains("adam") ? "adam.yaml" : "sgd.yaml");
        Files.writeString(config, TestData.mlpConfig(optimizer, 6));
        Path run = dir.resolve(config.getFileName().toString().replace(".yaml", ""));
        CommandResult r = CommandResult.run("train", config.toString(), "--out", run.toString());
        assertEquals(ExitCode.OK, r.exitCode(), r::toString);
        try (RunRecords records = RunRecords.open(run.resolve("run.db"))) {
            return records.readings();
        }
    }

    @Test
    void adamRunsKeepTheirStepSizeDistribution() throws Exception {
        List<StepReading> full = train("{name: adam, lr: 0.002}").stream().filter(StepReading::full).toList();
        assertTrue(full.size() >= 2, "full readings: " + full.size());
        for (StepReading r : full) {
            var a = r.adaptive();
            assertTrue(a != null && a.sampled() > 1000, "step " + r.step() + ": " + a);
            // every effective step is lr / (sqrt(v) + eps) <= lr / eps, and the quantiles are ordered
            assertTrue(a.stepMedian() > 0 && a.stepMedian() <= a.stepP99() && a.stepP99() <= a.stepMax() && a.stepMax() <= 0.002 / 1e-8, a.toString());
            assertTrue(a.vMin() <= a.vMedian(), a.toString());
        }
        List<StepReading> sgd = train("{name: sgd, lr: 0.05}").stream().filter(StepReading::full).toList();
        assertTrue(!sgd.isEmpty());
        for (StepReading r : sgd) assertNull(r.adaptive());
    }
}
