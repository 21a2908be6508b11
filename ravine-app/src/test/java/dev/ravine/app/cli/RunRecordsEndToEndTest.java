package dev.ravine.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ravine.app.ExitCode;
import dev.ravine.app.store.RepairRecord;
import dev.ravine.app.store.RunEvent;
import dev.ravine.app.store.RunRecords;
import dev.ravine.doctor.finding.Finding;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A repaired run as run.db records it: each repair is a row (the same repairs summary.json lists, with the loss that
 * triggered it), the finding it acted on opened before it, and the run's start and end are events.
 */
class RunRecordsEndToEndTest {
    @TempDir
    Path dir;

    @Test
    void aRepairedRunRecordsItsFindingsRepairsAndEventsAsRows() throws Exception {
        Path run = dir.resolve("lr-too-high");
        CommandResult r = CommandResult.run("train", PathologySuiteTest.suite().resolve("lr-too-high.yaml").toString(), "--out", run.toString(),
                "--set", "doctor.repair=true", "--set", "training.epochs=4");
        assertEquals(ExitCode.OK, r.exitCode(), r::toString);
        JsonNode summary = new ObjectMapper().readTree(run.resolve("summary.json").toFile());
        try (RunRecords records = RunRecords.open(run.resolve("run.db"))) {
            List<RepairRecord> repairs = records.repairs();
            JsonNode listed = summary.get("repairs");
            assertEquals(listed.size(), repairs.size(), summary::toString);
            for (int i = 0; i < repairs.size(); i++) {
                RepairRecord row = repairs.get(i);
                JsonNode s = listed.get(i);
                assertEquals(s.get("step").asLong(), row.step());
                assertEquals(s.get("finding").asText(), row.finding());
                assertEquals(s.get("remedy").asText(), row.remedy());
                assertEquals(s.get("rolled_back_to").asLong(), row.rolledBackTo());
                assertEquals(s.get("lr_scale").asDouble(), row.lrScaleAfter());
                assertTrue(row.lrScaleAfter() < row.lrScaleBefore(), row::toString);
                assertNotNull(row.lossBefore(), "the triggering loss is recorded with the repair");
            }
            assertFalse(records.meta().containsKey(RunRecords.LEGACY_REPAIR_LOSS_META), "repairs are rows, not a meta value");

            List<RunEvent> events = records.events();
            assertEquals(RunEvent.RUN_STARTED, events.getFirst().kind());
            RunEvent end = events.getLast();
            assertEquals(RunEvent.RUN_ENDED, end.kind());
            assertEquals("completed", end.subject());
            assertEquals(summary.get("steps").asLong(), end.step());
            int firstRepair = indexOf(events, RunEvent.REPAIR, "lr_too_high");
            int opened = indexOf(events, RunEvent.FINDING_OPENED, "lr_too_high");
            assertTrue(opened >= 0 && opened < firstRepair, events::toString);
            for (int i = 1; i < events.size(); i++) assertFalse(events.get(i).at().isBefore(events.get(i - 1).at()), events::toString);

            List<String> stored = records.findings().stream().map(Finding::id).sorted().toList();
            List<String> summarized = summary.get("findings").findValuesAsText("id").stream().sorted().toList();
            assertEquals(summarized, stored);
        }
    }

    /**
     * The reader opened again and again while a real run trains and repairs: it never fails, and it sees the finding
     * the repair acts on while the run's status is still running.
     */
    @Test
    void aRunCanBeReadWhileItTrains() throws Exception {
        Path run = dir.resolve("live");
        Path db = run.resolve("run.db");
        AtomicReference<CommandResult> result = new AtomicReference<>();
        Thread trainer = new Thread(() -> result.set(CommandResult.run("train", PathologySuiteTest.suite().resolve("lr-too-high.yaml").toString(),
                "--out", run.toString(), "--set", "doctor.repair=true", "--set", "training.epochs=4")));
        trainer.start();
        int reads = 0;
        boolean findingSeenWhileRunning = false;
        while (trainer.isAlive()) {
            if (Files.isRegularFile(db)) {
                try (RunRecords records = RunRecords.open(db)) {
                    boolean running = "running".equals(records.meta().get("status"));
                    List<Finding> findings = records.findings();
                    records.steps();
                    records.events();
                    if (running && findings.stream().anyMatch(f -> f.id().equals("lr_too_high"))) findingSeenWhileRunning = true;
                    reads++;
                }
            }
            Thread.sleep(20);
        }
        trainer.join();
        assertEquals(ExitCode.OK, result.get().exitCode(), result.get()::toString);
        assertTrue(reads > 0, "the run was read while it trained");
        assertTrue(findingSeenWhileRunning, "lr_too_high was in run.db before the run ended (" + reads + " reads)");
    }

    private static int indexOf(List<RunEvent> events, String kind, String subject) {
        for (int i = 0; i < events.size(); i++) if (events.get(i).kind().equals(kind) && subject.equals(events.get(i).subject())) return i;
        return -1;
    }
}
