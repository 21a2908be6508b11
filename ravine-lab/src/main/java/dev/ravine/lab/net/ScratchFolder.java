package dev.ravine.lab.net;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A temporary folder for a lab's run folders and data files ({@link DoctoredRun}), deleted with everything in it when
 * closed: the lab's page and figures are what it keeps.
 */
public record ScratchFolder(Path path) implements AutoCloseable {
    public static ScratchFolder create(String prefix) {
        try {
            return new ScratchFolder(Files.createTempDirectory(prefix));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary folder for the lab's runs: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try (Stream<Path> paths = Files.walk(path)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // Files left in the temporary folder change none of the lab's figures.
        }
    }
}
