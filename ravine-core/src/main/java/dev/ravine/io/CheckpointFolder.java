package dev.ravine.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A run's {@code checkpoints/} folder: files named {@code step-NNNNNNNNN.ckpt}. Resuming takes the newest one that
 * reads back intact (its lengths and checksum verified); a damaged newest one is passed over for the one before,
 * with a note saying which and why, so a crash during a write (or a disk error later) costs only the steps since.
 */
public final class CheckpointFolder {
    private CheckpointFolder() {}

    /** The newest intact checkpoint, the file it came from, and a note per newer file that was damaged. */
    public record Newest(Path file, Checkpoint checkpoint, List<String> skipped) {}

    /** The checkpoint files in {@code dir}, oldest first (by the step number in their name). */
    public static List<Path> byStep(Path dir) {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().matches("step-\\d+\\.ckpt") && Files.isRegularFile(p))
                    .sorted(Comparator.comparing(p -> p.getFileName().toString())).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the checkpoints in " + dir + ": " + IoProblem.describe(e), e);
        }
    }

    /**
     * The newest checkpoint in {@code dir} that reads back intact; {@code file} and {@code checkpoint} are null when
     * none does, and {@code skipped} says why for each file passed over.
     */
    public static Newest newestIntact(Path dir) {
        List<Path> files = byStep(dir);
        List<String> skipped = new ArrayList<>();
        for (int i = files.size() - 1; i >= 0; i--) {
            try {
                return new Newest(files.get(i), CheckpointFile.read(files.get(i)), List.copyOf(skipped));
            } catch (CheckpointException e) {
                skipped.add(files.get(i).getFileName() + " is damaged, passed over (" + e.getMessage() + ")");
            }
        }
        return new Newest(null, null, List.copyOf(skipped));
    }
}
