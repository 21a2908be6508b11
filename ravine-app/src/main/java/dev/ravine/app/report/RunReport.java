package dev.ravine.app.report;

import dev.ravine.app.TextFormat;
import dev.ravine.app.Version;
import dev.ravine.io.AtomicFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;

/** Writes a run folder's {@code report.html}: the data from the folder, rendered into one self-contained page. */
public final class RunReport {
    public static final String FILE_NAME = "report.html";

    /** What was written: the file, its size, and how long reading the run and rendering took. */
    public record Written(Path file, long bytes, double seconds) {
        /** "runs/x/report.html (93 KiB, 0.41 s)": the file as typed from {@code workingDir}, its size, the time taken. */
        public String describe(Path workingDir) {
            return TextFormat.path(file, workingDir) + " (" + TextFormat.count(Math.round(bytes / 1024.0)) + " KiB, "
                    + TextFormat.fixed(seconds, 2) + " s" + ")";
        }
    }

    private RunReport() {}

    /** Writes the report of {@code runFolder} to {@code out} (atomically: a reader never sees half a report). */
    public static Written write(Path runFolder, Path out) {
        long start = System.nanoTime();
        String html = ReportPage.render(ReportData.read(runFolder), Version.get(), Instant.now());
        byte[] bytes = html.getBytes(StandardCharsets.UTF_8);
        try {
            AtomicFile.write(out, o -> o.write(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report " + out + ": " + e.getMessage(), e);
        }
        return new Written(out, bytes.length, (System.nanoTime() - start) / 1e9);
    }
}
