package dev.ravine.app.store;

import dev.ravine.app.TextFormat;
import dev.ravine.app.config.ConfigException;
import dev.ravine.io.CheckpointException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.stream.Stream;

/**
 * The folder of one run and the names of what it holds:
 * <pre>
 * config.yaml       the resolved configuration (defaults filled in, --set applied, absolute data paths)
 * normalizer.json   the fitted feature transform, replayed by eval
 * run.db            SQLite: steps, epochs, meta, the doctor's readings, findings, repairs and events (see RunSchema)
 * checkpoints/      step-NNNNNNNNN.ckpt, the newest few
 * summary.json      the outcome, written when the run ends
 * report.html       charts, findings and repairs in one self-contained page, written when the run ends
 * </pre>
 */
public record RunDirectory(Path root) {
    public static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    /** A new, empty run folder: {@code out} when given, else {@code <base>/runs/<name>-<yyyyMMdd-HHmmss>}. */
    public static RunDirectory create(Path out, Path base, String name, LocalDateTime now) {
        Path dir;
        if (out != null) {
            dir = out.toAbsolutePath().normalize();
            if (Files.isRegularFile(dir)) throw new IllegalArgumentException("--out " + out + " is a file; give a folder for the run");
            if (Files.isDirectory(dir) && !isEmpty(dir)) {
                throw new IllegalArgumentException("--out " + out + " already exists and is not empty; choose a new folder so "
                        + "that another run's files are not mixed with this one's");
            }
        } else {
            Path runs = base.resolve("runs").toAbsolutePath().normalize();
            String stem = name + "-" + STAMP.format(now);
            dir = runs.resolve(stem);
            for (int i = 2; Files.exists(dir); i++) dir = runs.resolve(stem + "-" + i);
        }
        try {
            Files.createDirectories(dir.resolve("checkpoints"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the run folder " + dir + ": " + e.getMessage(), e);
        }
        return new RunDirectory(dir);
    }

    /** The run folder of a run folder itself, or of a checkpoint file inside its checkpoints/ folder. */
    public static RunDirectory of(Path runOrCheckpoint) {
        Path p = runOrCheckpoint.toAbsolutePath().normalize();
        if (Files.isRegularFile(p)) {
            Path parent = p.getParent();
            if (parent == null || !parent.getFileName().toString().equals("checkpoints") || parent.getParent() == null) {
                throw new CheckpointException(runOrCheckpoint + " is a file but not inside a run's checkpoints/ folder; give a run "
                        + "folder or RUN/checkpoints/step-N.ckpt");
            }
            p = parent.getParent();
        } else if (!Files.isDirectory(p)) {
            throw new ConfigException(runOrCheckpoint + " does not exist; give a run folder (e.g. runs/demo-20250101-120000) "
                    + "or a checkpoint file in one");
        }
        RunDirectory run = new RunDirectory(p);
        if (!Files.isRegularFile(run.config())) {
            throw new ConfigException(runOrCheckpoint + " is not a run folder: it has no config.yaml (ravine train writes one)");
        }
        return run;
    }

    private static boolean isEmpty(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path config() {
        return root.resolve("config.yaml");
    }

    public Path normalizer() {
        return root.resolve("normalizer.json");
    }

    public Path database() {
        return root.resolve("run.db");
    }

    public Path checkpoints() {
        return root.resolve("checkpoints");
    }

    public Path summary() {
        return root.resolve("summary.json");
    }

    public Path report() {
        return root.resolve(dev.ravine.app.report.RunReport.FILE_NAME);
    }

    /** The path as the user would type it from {@code workingDir}. */
    public String display(Path workingDir) {
        return TextFormat.path(root, workingDir);
    }
}
