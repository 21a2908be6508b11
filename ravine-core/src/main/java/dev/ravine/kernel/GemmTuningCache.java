package dev.ravine.kernel;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.Properties;

/**
 * The file where each machine's GEMM tuning result is kept, one line per {@link MachineKey} (a home directory shared
 * between machines holds several): {@code $XDG_CACHE_HOME/ravine/gemm-tuning.properties}, else
 * {@code ~/.cache/ravine/gemm-tuning.properties}, or the path in the system property {@code ravine.gemm.cache}.
 *
 * <p>It is only ever a hint: a missing file means tune; a damaged one (unreadable, or this machine's line not a
 * {@link GemmChoice}) is ignored with one log line and rewritten by the next {@link #write}; a file that cannot
 * be written costs a log line and a tuning trial at the next start. Writes go to a temporary file in the same
 * directory, then replace the old one in one rename, so a reader never sees half a file.
 */
final class GemmTuningCache {
    private static final System.Logger LOG = System.getLogger(GemmTuningCache.class.getName());
    private static final String HEADER = "Ravine GEMM tuning: micro-kernel shape and cache blocking per machine; "
            + "delete this file to tune again";

    private final Path file;

    GemmTuningCache(Path file) {
        this.file = file;
    }

    /** The cache at its usual place, or where {@code ravine.gemm.cache} says. */
    static GemmTuningCache standard() {
        String forced = System.getProperty("ravine.gemm.cache", "").trim();
        if (!forced.isEmpty()) return new GemmTuningCache(Path.of(forced));
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return new GemmTuningCache(base.resolve("ravine").resolve("gemm-tuning.properties"));
    }

    Path file() {
        return file;
    }

    /** This machine's choice, if the file has a sound one. */
    Optional<GemmChoice> read(MachineKey key) {
        Properties entries = load();
        String value = entries.getProperty(key.text());
        if (value == null) return Optional.empty();
        try {
            return Optional.of(GemmChoice.parse(value));
        } catch (IllegalArgumentException e) {
            LOG.log(Level.WARNING, "ignoring the damaged GEMM tuning cache entry in " + file + " (" + e.getMessage()
                    + "); tuning again and rewriting it");
            return Optional.empty();
        }
    }

    /** Records this machine's choice next to the other machines' sound entries; false where it could not. */
    boolean write(MachineKey key, GemmChoice choice) {
        Properties entries = new Properties();
        load().forEach((name, value) -> {
            if (soundEntry(value)) entries.put(name, value);
        });
        entries.setProperty(key.text(), choice.toString());
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path temporary = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
            try {
                try (Writer out = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
                    entries.store(out, HEADER);
                }
                replace(temporary);
            } finally {
                Files.deleteIfExists(temporary);
            }
            return true;
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "could not write the GEMM tuning cache " + file + ": " + e);
            return false;
        }
    }

    private void replace(Path temporary) throws IOException {
        try {
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** The file's entries; none when it is missing, and none (with a log line) when it cannot be read as text. */
    private Properties load() {
        Properties entries = new Properties();
        if (!Files.isRegularFile(file)) return entries;
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            entries.load(in);
        } catch (IOException | IllegalArgumentException e) {
            LOG.log(Level.WARNING, "ignoring the damaged GEMM tuning cache " + file + " (" + e
                    + "); tuning again and rewriting it");
            return new Properties();
        }
        return entries;
    }

    private static boolean soundEntry(Object value) {
        try {
            GemmChoice.parse(String.valueOf(value));
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
