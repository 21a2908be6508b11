package dev.ravine.app.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ravine.doctor.finding.Finding;
import dev.ravine.doctor.finding.Remedy;
import dev.ravine.doctor.finding.Severity;
import dev.ravine.doctor.repair.RepairAction;
import dev.ravine.train.BatchEvent;
import dev.ravine.train.EpochEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The run store's writer and its typed reader: findings, repairs and events are readable the moment they happen,
 * while the run is still writing; the file is in WAL mode so a reader never blocks (or is blocked by) the trainer;
 * an older run.db without the newer tables reads as before.
 */
class RunStoreTest {
    @TempDir
    Path dir;

    private static Finding finding(String id, long first, long last) {
        return new Finding(id, "Title of " + id, Severity.BLOCKING, first, last, List.of("0", "2.1"),
                List.of("loss rose 10x", "grad norm 1e6"), "the step overshoots",
                List.of(new Remedy("optimizer.lr: 0.1 -> 0.03", "below the stability limit"), new Remedy("clip.global_norm: 1.0", "")));
    }

    private static BatchEvent step(long step, double loss) {
        return new BatchEvent(step, 0, (int) step - 1, 10, 10, loss, 0.5, 1.0);
    }

    @Test
    void theDatabaseIsInWalModeSoReadersDoNotBlockTheWriter() throws Exception {
        Path db = dir.resolve("run.db");
        try (RunStore store = RunStore.create(db)) {
            store.putMeta(Map.of("status", "running"));
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                 ResultSet rs = c.createStatement().executeQuery("PRAGMA journal_mode")) {
                assertTrue(rs.next());
                assertEquals("wal", rs.getString(1));
            }
        }
    }

    @Test
    void findingsRepairsAndEventsAreReadableWhileTheRunGoesOn() {
        Path db = dir.resolve("run.db");
        try (RunStore store = RunStore.create(db); RunRecords reader = RunRecords.open(db)) {
            store.putEvent(null, RunEvent.RUN_STARTED, "running", null);
            for (long s = 1; s <= 3; s++) store.onBatchEnd(null, step(s, 2.0 / s));
            store.opened(finding("lr_too_high", 2, 2));
            // no flush, no close: the finding is committed as it opens, the buffered steps are not yet
            assertEquals(List.of("lr_too_high"), reader.findings().stream().map(Finding::id).toList());
            assertEquals(0, reader.steps().size(), "step rows are buffered until a flush");
            Finding read = reader.findings().getFirst();
            assertEquals(finding("lr_too_high", 2, 2), read, "every field round-trips");

            store.putRepair(new RepairAction(3, "lr_too_high", "optimizer.lr x 0.3", 1, 1.0, 0.3), Double.NaN);
            store.closed(finding("lr_too_high", 2, 3));
            List<RepairRecord> repairs = reader.repairs();
            assertEquals(1, repairs.size());
            RepairRecord r = repairs.getFirst();
            assertEquals(List.of(3L, 1L), List.of(r.step(), r.rolledBackTo()));
            assertEquals("optimizer.lr x 0.3", r.remedy());
            assertEquals(1.0, r.lrScaleBefore());
            assertEquals(0.3, r.lrScaleAfter());
            assertTrue(Double.isNaN(r.lossBefore()), "a non-finite triggering loss reads back as NaN");
            assertEquals(3, reader.findings().getFirst().lastStep(), "closing rewrites the row with its last step");
            assertEquals(List.of(RunEvent.RUN_STARTED, RunEvent.FINDING_OPENED, RunEvent.REPAIR, RunEvent.FINDING_CLOSED),
                    reader.events().stream().map(RunEvent::kind).toList());
            RunEvent opened = reader.events().get(1);
            assertEquals(2L, opened.step());
            assertEquals("lr_too_high", opened.subject());
            assertNull(reader.events().getFirst().step(), "the start is at no step");

            store.onEpochEnd(null, new EpochEvent(1, 3, 1.0, 0.5, Double.NaN, Double.NaN, 1.0, 30));
            assertEquals(3, reader.steps().size(), "an epoch's end commits its steps");
            assertEquals(1, reader.epochs().size());
            assertTrue(Double.isNaN(reader.epochs().getFirst().valLoss()), "no validation loss: NULL, read back as NaN");
        }
    }

    /** The reader opened while a trainer writes steps, findings and events from another thread: never an error. */
    @Test
    void aReaderOpenedWhileARunWritesSeesEachCommitAndNeverFails() throws Exception {
        Path db = dir.resolve("run.db");
        int steps = 3 * RunStore.FLUSH_ROWS;
        AtomicReference<Throwable> writerFailure = new AtomicReference<>();
        try (RunStore store = RunStore.create(db)) {
            Thread writer = new Thread(() -> {
                try {
                    for (int s = 1; s <= steps; s++) {
                        store.onBatchEnd(null, step(s, 1.0 / s));
                        if (s % 100 == 0) store.opened(finding("f" + s, s, s));
                    }
                    store.flush();
                } catch (Throwable t) {
                    writerFailure.set(t);
                }
            });
            List<Integer> seen = new ArrayList<>();
            try (RunRecords reader = RunRecords.open(db)) {
                writer.start();
                while (writer.isAlive()) {
                    int findings = reader.findings().size();
                    int rows = reader.steps().size();
                    seen.add(findings);
                    assertTrue(rows % RunStore.FLUSH_ROWS == 0 || rows == steps, "steps arrive a whole transaction at a time: " + rows);
                }
                writer.join();
                assertNull(writerFailure.get(), () -> "the writer failed: " + writerFailure.get());
                assertEquals(steps, reader.steps().size());
                assertEquals(steps / 100, reader.findings().size());
            }
            for (int i = 1; i < seen.size(); i++) assertTrue(seen.get(i) >= seen.get(i - 1), "commits are never lost: " + seen);
        }
    }

    @Test
    void theConfusionMatrixRoundTripsAndIsAbsentWhenNotRecorded() {
        Path db = dir.resolve("run.db");
        try (RunStore store = RunStore.create(db); RunRecords reader = RunRecords.open(db)) {
            assertNull(reader.confusion());
            store.putConfusion(new ConfusionRecord("validation", "checkpoints/best.ckpt", new long[][] {{3, 1}, {0, 4}}));
            ConfusionRecord c = reader.confusion();
            assertEquals("validation", c.data());
            assertEquals("checkpoints/best.ckpt", c.checkpoint());
            assertEquals(List.of(3L, 1L, 0L, 4L), java.util.Arrays.stream(c.counts()).flatMapToLong(java.util.Arrays::stream).boxed().toList());
        }
    }

    /** A run recorded before run.db kept repair rows: its repairs come from summary.json and the old meta value. */
    @Test
    void anOlderRunsRepairsAreReadFromItsSummaryAndMeta() throws Exception {
        Path db = dir.resolve("run.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            var s = c.createStatement();
            s.execute("CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT)");
            s.execute("CREATE TABLE steps(step INTEGER PRIMARY KEY, epoch INTEGER NOT NULL, batch INTEGER NOT NULL, loss REAL, accuracy REAL, lr_scale REAL)");
            s.execute("INSERT INTO meta VALUES ('status', 'completed'), ('" + RunRecords.LEGACY_REPAIR_LOSS_META + "', '2.5,NaN')");
            s.execute("INSERT INTO steps VALUES (1, 1, 1, 2.3, 0.1, 1.0)");
        }
        Files.writeString(dir.resolve("summary.json"), """
                {"status": "completed", "repairs": [
                  {"step": 7, "finding": "exploding_gradients", "remedy": "optimizer.lr x 0.3", "rolled_back_to": 5, "lr_scale": 0.3},
                  {"step": 9, "finding": "exploding_gradients", "remedy": "optimizer.lr x 0.3", "rolled_back_to": 8, "lr_scale": 0.09},
                  {"step": 12, "finding": "lr_too_high", "remedy": "optimizer.lr x 0.5", "rolled_back_to": 10, "lr_scale": 0.045}]}
                """);
        try (RunRecords records = RunRecords.open(db)) {
            List<RepairRecord> repairs = records.repairs();
            assertEquals(List.of(7L, 9L, 12L), repairs.stream().map(RepairRecord::step).toList());
            assertEquals(2.5, repairs.get(0).lossBefore());
            assertTrue(Double.isNaN(repairs.get(1).lossBefore()));
            assertNull(repairs.get(2).lossBefore(), "not recorded");
            assertEquals(0.045, repairs.get(2).lrScaleAfter());
            assertTrue(records.events().isEmpty() && records.findings().isEmpty() && records.curvature().isEmpty(), "absent tables read as empty");
            assertEquals(1, records.readings().size());
        }
    }
}
