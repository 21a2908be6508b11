package dev.ravine.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ravine.app.ExitCode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Diagnosis by experiment on a real run: SGD at lr 3 on the shipped digits (the suite's lr-too-high case). The doctor's
 * probes fork the run, each probe and its control are a row of run.db's probes table with the numbers its verdict came
 * from, the confirmed cause ranks first with the probe as its first evidence, the repair applies the winning change,
 * and summary.json reports the probes' time against their share.
 */
class ProbeRunTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static Path pathology(String name) {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("examples/pathologies/" + name + ".yaml");
            if (candidate.toFile().isFile()) return candidate;
        }
        throw new IllegalStateException(name + " not found");
    }

    @Test
    void probesConfirmTheLearningRateAndTheRepairAppliesTheWinner() throws Exception {
        Path run = dir.resolve("run");
        // a generous share: the run is 64 steps, and a tenth of them (6) would not fit the shortest probe; the budget is
        // counted in steps, so what runs does not depend on the machine's speed
        CommandResult train = CommandResult.run("train", pathology("lr-too-high").toString(), "--set", "doctor.probes=true",
                "--set", "doctor.probe_share=0.9", "--set", "doctor.repair=true", "--out", run.toString());
        assertEquals(ExitCode.OK, train.exitCode(), train::toString);
        assertTrue(train.out().contains("doctor: lr_too_high: probe lr/3"), train::toString);
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + run.resolve("run.db"));
             Statement s = db.createStatement();
             ResultSet r = s.executeQuery("SELECT change, verdict, control_loss, probe_loss, effect, steps, start FROM probes"
                     + " WHERE finding = 'lr_too_high' AND change = 'lr/3'")) {
            assertTrue(r.next(), "the lr/3 probe is stored");
            assertEquals("confirmed", r.getString(2));
            double control = r.getDouble(3), probe = r.getDouble(4);
            assertTrue(probe < control, probe + " vs " + control);
            assertEquals(Math.log(control / probe), r.getDouble(5), 1e-9, "the effect is ln(control / probe)");
            assertEquals(23, r.getInt(6), "0.9 of the run's 64 steps, a fifth held back, is 46 probe steps: 23 for each arm");
            assertEquals("run_start", r.getString(7), "the loss diverges from step 1: no snapshot before the trouble but the start");
        }
        JsonNode summary = JSON.readTree(run.resolve("summary.json").toFile());
        assertEquals("lr_too_high", summary.get("findings").get(0).get("id").asText(), summary::toString);
        JsonNode doctor = summary.get("doctor");
        assertNotNull(doctor, summary::toString);
        assertTrue(doctor.get("probes").asInt() >= 1, doctor::toString);
        double share = doctor.get("probe_share").asDouble();
        assertTrue(share > 0 && share <= 0.9, doctor::toString);
        assertEquals(0.9, doctor.get("probe_budget_share").asDouble(), 1e-12);
        // at least 0.8 x 0.9 of the 64 planned steps; more at the end, when the steps the repair replayed count too
        assertTrue(doctor.get("probe_budget_steps").asLong() >= 46, doctor::toString);
        assertEquals(46, doctor.get("probe_steps").asLong(), "the lr/3 probe and its control, 23 steps each: " + doctor);
        JsonNode repair = summary.get("repairs").get(0);
        assertEquals("lr_too_high", repair.get("finding").asText(), summary::toString);
        assertTrue(repair.get("remedy").asText().endsWith("(the probe winner)"), summary::toString);
        assertEquals(repair.get("step").asLong() - repair.get("rolled_back_to").asLong(), repair.get("rollback_depth").asLong());
        // the stored finding carries the probe as its first evidence, which `ravine doctor` shows
        CommandResult doctorCommand = CommandResult.run("doctor", run.toString());
        assertTrue(doctorCommand.out().contains("probe confirmed: probe "), doctorCommand::toString);
    }

    /**
     * A run of about a second (the suite's model-too-small: a linear classifier on spirals) at the default share: the
     * reference networks that find model_bias are not starved by the probes' tenth of the run (they cost more than the
     * run's own training, so within that tenth they never trained and model_bias was missed), and the probes' share
     * as summary.json reports them (counted in steps) stay within the budget.
     */
    @Test
    void onAShortRunTheReferencesStillFindModelBiasAndTheProbesKeepTheirShare() throws Exception {
        Path run = dir.resolve("bias");
        CommandResult train = CommandResult.run("train", pathology("model-too-small").toString(), "--set", "doctor.probes=true",
                "--out", run.toString());
        assertEquals(ExitCode.OK, train.exitCode(), train::toString);
        JsonNode summary = JSON.readTree(run.resolve("summary.json").toFile());
        assertEquals("model_bias", summary.get("findings").get(0).get("id").asText(), summary::toString);
        JsonNode doctor = summary.get("doctor");
        assertTrue(doctor.get("reference_seconds").asDouble() > 0, doctor::toString);
        assertTrue(doctor.get("probe_steps").asLong() <= doctor.get("probe_budget_steps").asLong(), doctor::toString);
        assertEquals(0.1, doctor.get("probe_budget_share").asDouble(), 1e-12);
    }

    @Test
    void aHealthyRunIsNotProbed() throws Exception {
        Path run = dir.resolve("healthy");
        CommandResult train = CommandResult.run("train", pathology("healthy-blobs-sgd").toString(), "--set", "doctor.probes=true",
                "--set", "doctor.repair=true", "--out", run.toString());
        assertEquals(ExitCode.OK, train.exitCode(), train::toString);
        JsonNode summary = JSON.readTree(run.resolve("summary.json").toFile());
        assertEquals(0, summary.get("doctor").get("probes").asInt(), summary::toString);
        assertTrue(summary.get("repairs") == null, summary::toString);
    }
}
