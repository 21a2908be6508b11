package dev.ravine.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ravine.app.ExitCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ravine train --resume RUN_DIR}: a run cut off after a checkpoint (as a kill leaves it: newer checkpoints
 * missing, rows past the checkpoint in run.db, a stale .tmp) continues from its newest intact checkpoint, and every
 * later loss equals the uninterrupted run's, bit for bit; a damaged newest checkpoint is passed over with a note.
 */
class ResumeTest {
    @TempDir
    static Path dir;

    private static final String CONFIG = """
            seed: 5
            data: {train: idx:train, normalize: scale01, validation_split: 0.2}
            model:
              layers: [flatten, {linear: {out: 24}}, relu, {dropout: {p: 0.2}}, {linear: {out: 10}}]
            loss: cross_entropy
            optimizer: {name: adam, lr: 0.003}
            training: {epochs: 3, batch_size: 20, checkpoint_every: 4, keep_checkpoints: 100, threads: 2}
            """;

    private static Path full;
    private static Path stoppedEarly;

    /**
     * Only epoch 1 improves by more than min_delta 10, so early stopping (patience 1) ends the run after epoch 2 of 6
     * (12 steps an epoch); lr 3 makes the loss grow from step 3, so the doctor has a finding open before any cut.
     */
    private static final String EARLY_STOPPING = """
            seed: 5
            data: {train: "blobs:classes=3,dims=4,samples=300,seed=50", validation_split: 0.2}
            model:
              layers: [{linear: {out: 24}}, relu, {linear: {out: 3}}]
            loss: cross_entropy
            optimizer: {name: sgd, lr: 3}
            training: {epochs: 6, batch_size: 20, checkpoint_every: 4, keep_checkpoints: 100, threads: 2,
                       early_stopping: {patience: 1, min_delta: 10}}
            """;

    @BeforeAll
    static void uninterruptedRun() throws IOException {
        TestData.writeSubset(dir, "train", "train", 200);
        Files.writeString(dir.resolve("resume.yaml"), CONFIG);
        full = dir.resolve("full");
        CommandResult r = CommandResult.run("train", dir.resolve("resume.yaml").toString(), "--out", full.toString());
        assertEquals(ExitCode.OK, r.exitCode(), r::toString);
        Files.writeString(dir.resolve("early.yaml"), EARLY_STOPPING);
        stoppedEarly = dir.resolve("early");
        CommandResult e = CommandResult.run("train", dir.resolve("early.yaml").toString(), "--out", stoppedEarly.toString());
        assertEquals(ExitCode.OK, e.exitCode(), e::toString);
        assertTrue(e.out().contains("early stopping"), e.out());
    }

    /** A copy of the finished run as a kill after step {@code step}'s checkpoint (and a few steps more) leaves it. */
    private static Path killedAfter(String name, long step) throws IOException, SQLException {
        return killedAfter(full, name, step);
    }

    private static Path killedAfter(Path full, String name, long step) throws IOException, SQLException {
        Path run = dir.resolve(name);
        try (Stream<Path> files = Files.walk(full)) {
            for (Path p : files.toList()) {
                Path target = run.resolve(full.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(target);
                else Files.copy(p, target);
            }
        }
        try (Stream<Path> checkpoints = Files.list(run.resolve("checkpoints"))) {
            for (Path c : checkpoints.toList()) {
                String file = c.getFileName().toString();
                if (file.matches("step-\\d+\\.ckpt") && Long.parseLong(file.replaceAll("\\D", "")) > step) Files.delete(c);
            }
        }
        Files.delete(run.resolve("summary.json"));
        Files.write(run.resolve("checkpoints").resolve(".step-000000099.ckpt4242.tmp"), new byte[4096]);
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + run.resolve("run.db"))) {
            // rows committed past the checkpoint, as a kill between a flush and the next checkpoint leaves them, but wrong
            db.createStatement().executeUpdate("UPDATE steps SET loss = 99 WHERE step > " + step);
            db.createStatement().executeUpdate("INSERT OR REPLACE INTO meta VALUES ('status', 'running')");
        }
        return run;
    }

    private static List<String> losses(Path run) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + run.resolve("run.db"));
             ResultSet rs = db.createStatement().executeQuery("SELECT step, loss, accuracy, lr_scale FROM steps ORDER BY step")) {
            while (rs.next()) out.add(rs.getLong(1) + " " + Double.doubleToRawLongBits(rs.getDouble(2)) + " " + rs.getDouble(3) + " " + rs.getDouble(4));
        }
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + run.resolve("run.db"));
             ResultSet rs = db.createStatement().executeQuery("SELECT epoch, train_loss, val_loss FROM epochs ORDER BY epoch")) {
            while (rs.next()) out.add("epoch " + rs.getInt(1) + " " + rs.getDouble(2) + " " + rs.getDouble(3));
        }
        return out;
    }

    /** The doctor's findings in run.db, in their ranked order. */
    private static List<String> findings(Path run) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + run.resolve("run.db"));
             ResultSet rs = db.createStatement().executeQuery("SELECT id, first_step, evidence FROM findings ORDER BY rowid")) {
            while (rs.next()) out.add(rs.getString(1) + " " + rs.getLong(2) + " " + rs.getString(3));
        }
        return out;
    }

    /** summary.json's epoch count and end. */
    private static List<String> endOf(Path run) throws IOException {
        return Files.readAllLines(run.resolve("summary.json")).stream()
                .filter(l -> l.contains("\"epochs\"") || l.contains("\"status\"") || l.contains("\"reason\"") || l.contains("\"steps\"")).toList();
    }

    /** The best-weights lines of summary.json (which epoch best.ckpt holds, and its value). */
    private static List<String> bestOf(Path run) throws IOException {
        return Files.readAllLines(run.resolve("summary.json")).stream().filter(l -> l.contains("best")).toList();
    }

    @Test
    void aRunCutMidEpochResumesBitExactly() throws Exception {
        Path run = killedAfter("cut", 12); // epoch 2 of 3 (8 batches per epoch), mid-epoch
        CommandResult r = CommandResult.run("train", "--resume", run.toString());
        assertEquals(ExitCode.OK, r.exitCode(), r::toString);
        assertTrue(r.out().contains("resuming") && r.out().contains("checkpoints/step-000000012.ckpt (step 12, epoch 2)"), r.out());
        assertEquals(losses(full), losses(run));
        assertFalse(Files.exists(run.resolve("checkpoints").resolve(".step-000000099.ckpt4242.tmp")), "stale .tmp removed");
        assertTrue(Files.readString(run.resolve("summary.json")).contains("\"completed\""));
        assertFalse(bestOf(full).isEmpty(), "the run keeps a best.ckpt");
        assertEquals(bestOf(full), bestOf(run), "best.ckpt chosen over the epochs of both parts");
    }

    @Test
    void aRunKilledAfterItsLastCheckpointOnlyFinishes() throws Exception {
        Path run = killedAfter("end", 24); // after the last step of epoch 3, before summary.json and report.html
        Files.delete(run.resolve("report.html"));
        CommandResult r = CommandResult.run("train", "--resume", run.toString());
        assertEquals(ExitCode.OK, r.exitCode(), r::toString);
        assertTrue(r.out().contains("no step left to train"), r.out());
        assertEquals(losses(full), losses(run));
        assertEquals(endOf(full), endOf(run), "summary.json counts the whole run's epochs");
        assertEquals(bestOf(full), bestOf(run));
        assertTrue(Files.isRegularFile(run.resolve("report.html")));
    }

    @Test
    void aResumedRunKeepsEarlyStoppingsPatienceAndTheDoctorsFindings() throws Exception {
        Path run = killedAfter(stoppedEarly, "early-cut", 16); // mid-epoch 2: epoch 1 was the last improvement
        CommandResult r = CommandResult.run("train", "--resume", run.toString());
        assertEquals(ExitCode.OK, r.exitCode(), r::toString);
        assertEquals(losses(stoppedEarly), losses(run), "stops after epoch 2 again, not a patience later");
        assertEquals(endOf(stoppedEarly), endOf(run));
        assertFalse(findings(stoppedEarly).isEmpty(), "the early-stopped run has findings to keep");
        assertEquals(findings(stoppedEarly), findings(run), "the findings opened before the cut are kept, with their first step");

        CommandResult again = CommandResult.run("train", "--resume", run.toString());
        assertEquals(ExitCode.BAD_INPUT, again.exitCode(), again::toString);
        assertTrue(again.err().contains("nothing to resume") && again.err().contains("ended by early stopping"), again.err());
    }

    @Test
    void aDamagedNewestCheckpointFallsBackToThePreviousWithANote() throws Exception {
        Path run = killedAfter("damaged", 16);
        Path newest = run.resolve("checkpoints").resolve("step-000000016.ckpt");
        byte[] bytes = Files.readAllBytes(newest);
        bytes[bytes.length / 2] ^= 0x40;
        Files.write(newest, bytes);
        CommandResult r = CommandResult.run("train", "--resume", run.toString());
        assertEquals(ExitCode.OK, r.exitCode(), r::toString);
        assertTrue(r.out().contains("resume: step-000000016.ckpt is damaged, passed over"), r.out());
        assertTrue(r.out().contains("(step 12, epoch 2)"), r.out());
        assertEquals(losses(full), losses(run));
    }

    @Test
    void resumeRefusesWhatItCannotContinue() throws Exception {
        CommandResult done = CommandResult.run("train", "--resume", full.toString());
        assertEquals(ExitCode.BAD_INPUT, done.exitCode(), done::toString);
        assertTrue(done.err().contains("nothing to resume") && done.err().contains("it completed (all 3 epochs done)"), done.err());

        Path none = killedAfter("none", 0);
        CommandResult r = CommandResult.run("train", "--resume", none.toString());
        assertEquals(ExitCode.BAD_INPUT, r.exitCode(), r::toString);
        assertTrue(r.err().contains("no intact checkpoint"), r.err());

        CommandResult both = CommandResult.run("train", dir.resolve("resume.yaml").toString(), "--resume", full.toString());
        assertEquals(ExitCode.BAD_INPUT, both.exitCode(), both::toString);
        assertTrue(both.err().contains("--resume takes no CONFIG.yaml"), both.err());
    }
}
