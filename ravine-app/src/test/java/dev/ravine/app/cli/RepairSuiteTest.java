package dev.ravine.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ravine.app.ExitCode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * doctor.repair on four pathologies of examples/pathologies: each run is repaired (rolled back, learning rate lowered
 * or, for gradients that exploded from the first step, weights re-drawn) and finishes with a healthy loss. The
 * unrepaired losses are in examples/pathologies/README.md (lr-too-high 7.4, dead-relu 1.2, adam-late-spike 3.2e-4,
 * exploding-deep-plain 3.5e19 after its epoch).
 */
class RepairSuiteTest {
    @TempDir
    Path dir;

    private JsonNode repaired(String config, int epochs, String... sets) throws Exception {
        Path run = dir.resolve(config);
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("train", PathologySuiteTest.suite().resolve(config + ".yaml").toString(),
                "--out", run.toString(), "--set", "doctor.repair=true", "--set", "training.epochs=" + epochs));
        for (String s : sets) args.addAll(java.util.List.of("--set", s));
        CommandResult r = CommandResult.run(args.toArray(String[]::new));
        assertEquals(ExitCode.OK, r.exitCode(), r::toString);
        return new ObjectMapper().readTree(run.resolve("summary.json").toFile());
    }

    private static void repairedOnce(JsonNode summary, String finding) {
        assertTrue(summary.get("repairs").size() >= 1, summary::toString);
        assertEquals(finding, summary.get("repairs").get(0).get("finding").asText(), summary::toString);
    }

    @Test
    void aLearningRateFarTooHighIsLoweredAndTheRunTrains() throws Exception {
        JsonNode s = repaired("lr-too-high", 4);
        repairedOnce(s, "lr_too_high");
        assertTrue(s.get("train_loss").asDouble() < 0.5, s::toString); // 0.26 measured; 7.4 without repair
    }

    @Test
    void deadReluUnitsAreAvoidedByRollingBackToASmallerStep() throws Exception {
        JsonNode s = repaired("dead-relu", 4);
        repairedOnce(s, "dead_relu");
        assertTrue(s.get("train_loss").asDouble() < 0.7, s::toString); // 0.44 measured; 1.2 without repair
    }

    @Test
    void anAdamSpikeIsRolledBackAndTheRunStaysConverged() throws Exception {
        JsonNode s = repaired("adam-late-spike", 45);
        repairedOnce(s, "adaptive_spike");
        assertTrue(s.get("train_loss").asDouble() < 1e-9, s::toString); // 8e-14 measured; 3.2e-4 without repair
    }

    /**
     * Unshuffled batches are no learning-rate problem: the probe-confirmed change (data.shuffle) is a config change, so
     * the run starts again from step 0 with it, in the same folder, whose config.yaml then says what trained. The
     * probes get half the run's time instead of a tenth, so that the shuffle probe fits however loaded the machine.
     */
    @Test
    void unshuffledBatchesRestartTheRunFromStepZeroShuffled() throws Exception {
        // at lr 0.05, where this was measured: the case now trains at 0.2 (for its ground truth), and there, in one trial,
        // the shuffle probe was confirmed during the second epoch and no restart was taken
        JsonNode s = repaired("data-unshuffled", 3, "doctor.probes=true", "doctor.probe_share=0.5", "optimizer.lr=0.05");
        repairedOnce(s, "data_unshuffled");
        JsonNode restart = s.get("repairs").get(0);
        assertEquals(0, restart.get("rolled_back_to").asLong(), s::toString);
        assertTrue(restart.get("remedy").asText().startsWith("restarted from step 0 with data.shuffle: true"), s::toString);
        assertEquals(57, s.get("steps").asLong(), "the whole run after the restart: " + s);
        assertTrue(s.get("train_loss").asDouble() < 0.5, s::toString); // 0.32 measured
        String config = java.nio.file.Files.readString(dir.resolve("data-unshuffled").resolve("config.yaml"));
        assertTrue(config.contains("shuffle: true") && config.contains("Restarted from step"), config);
    }

    @Test
    void gradientsExplodingFromTheFirstStepGetVariancePreservingWeights() throws Exception {
        JsonNode s = repaired("exploding-deep-plain", 1);
        repairedOnce(s, "exploding_gradients");
        assertTrue(s.get("repairs").get(0).get("remedy").asText().contains("he_normal"), s::toString);
        assertTrue(s.get("train_loss").asDouble() < 3, s::toString); // 2.36 measured; 3.5e19 without repair
    }
}
