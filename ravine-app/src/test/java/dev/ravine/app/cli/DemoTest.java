package dev.ravine.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ravine.app.ExitCode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ravine demo} end to end on the shipped digits (one epoch instead of four): the failing run diverges, the
 * diagnosis names its blocking finding with evidence and remedies, the repaired run rolls back, lowers the learning
 * rate and learns, and both run folders hold a report.
 */
class DemoTest {
    @TempDir
    Path dir;

    @Test
    void theShowcaseFailsDiagnosesAndRepairs() throws Exception {
        Path repo = Path.of("").toAbsolutePath().getParent(); // surefire runs in ravine-app/
        String before = System.getProperty("ravine.home");
        System.setProperty("ravine.home", repo.toString());
        CommandResult demo;
        try {
            demo = CommandResult.run("demo", "--out", dir.resolve("demo").toString(), "--set", "training.epochs=1");
        } finally {
            if (before == null) System.clearProperty("ravine.home");
            else System.setProperty("ravine.home", before);
        }
        assertEquals(ExitCode.OK, demo.exitCode(), demo::toString);
        ObjectMapper json = new ObjectMapper();
        JsonNode failing = json.readTree(dir.resolve("demo/failing/summary.json").toFile());
        JsonNode repaired = json.readTree(dir.resolve("demo/repaired/summary.json").toFile());
        assertEquals("diverged", failing.get("status").asText(), failing::toString);
        assertEquals("completed", repaired.get("status").asText(), repaired::toString);
        assertTrue(repaired.get("repairs").size() >= 1, repaired::toString);
        assertTrue(repaired.get("test_accuracy").asDouble() > 0.8, repaired::toString);
        assertTrue(demo.out().contains("Top finding") && demo.out().contains("evidence:") && demo.out().contains("remedies (best first):"),
                demo::toString);
        assertTrue(Files.size(dir.resolve("demo/failing/report.html")) > 10_000 && Files.size(dir.resolve("demo/repaired/report.html")) > 10_000);
    }
}
