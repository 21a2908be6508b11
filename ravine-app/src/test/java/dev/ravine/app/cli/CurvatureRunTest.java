package dev.ravine.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ravine.app.ExitCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** doctor.curvature_every: a real run stores its curvature readings in run.db with the agreed schema, and ravine doctor reads them. */
class CurvatureRunTest {
    @TempDir
    Path dir;

    @Test
    void curvatureReadingsAreStoredEveryNStepsWithTheirThresholds() throws Exception {
        TestData.writeSubset(dir, "train", "train", 200);
        TestData.writeSubset(dir, "t10k", "test", 50);
        Path config = dir.resolve("c.yaml");
        Files.writeString(config, TestData.mlpConfig("{name: adam, lr: 0.001}", 1) + "doctor: {curvature_every: 1}\n");
        Path run = dir.resolve("run");
        CommandResult train = CommandResult.run("train", config.toString(), "--out", run.toString());
        assertEquals(ExitCode.OK, train.exitCode(), train::toString);
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + run.resolve("run.db"))) {
            List<String> columns = new ArrayList<>();
            try (ResultSet rs = db.createStatement().executeQuery("PRAGMA table_info(curvature_readings)")) {
                while (rs.next()) columns.add(rs.getString("name") + " " + rs.getString("type") + (rs.getInt("pk") == 1 ? " pk" : ""));
            }
            assertEquals(List.of("step INTEGER pk", "sharpness REAL", "threshold REAL", "preconditioned_sharpness REAL",
                    "preconditioned_threshold REAL", "hvps INTEGER"), columns);
            // 160 training samples in batches of 50: 4 steps, a reading after each
            try (ResultSet rs = db.createStatement().executeQuery("SELECT step, sharpness, threshold, preconditioned_sharpness,"
                    + " preconditioned_threshold, hvps FROM curvature_readings ORDER BY step")) {
                int n = 0;
                while (rs.next()) {
                    n++;
                    assertEquals(n, rs.getLong(1));
                    assertTrue(rs.getDouble(2) > 0, "sharpness of a cross-entropy MLP is positive");
                    rs.getDouble(3);
                    assertTrue(rs.wasNull(), "Adam's raw sharpness has no threshold: NULL");
                    assertTrue(rs.getDouble(4) > 0);
                    assertEquals(38 / 0.001, rs.getDouble(5), 1e-6);
                    assertEquals(20, rs.getLong(6));
                }
                assertEquals(4, n);
            }
        }
        CommandResult doctor = CommandResult.run("doctor", run.toString());
        assertTrue(doctor.out().contains("4 curvature readings"), doctor::toString);
    }

    @Test
    void curvatureEveryMustNotBeNegative() throws Exception {
        TestData.writeSubset(dir, "train", "train", 20);
        Path config = dir.resolve("c.yaml");
        Files.writeString(config, TestData.mlpConfig("{name: sgd, lr: 0.1}", 1).replace("  test: idx:test\n", "")
                + "doctor: {curvature_every: -5}\n");
        CommandResult train = CommandResult.run("train", config.toString(), "--out", dir.resolve("run").toString());
        assertEquals(ExitCode.BAD_INPUT, train.exitCode(), train::toString);
        assertTrue(train.err().contains("curvature_every") && train.err().contains("at least 0"), train::toString);
    }
}
