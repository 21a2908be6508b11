package dev.ravine.lab.page;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ravine.app.Version;
import dev.ravine.lab.Lab;
import dev.ravine.lab.LabRun;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The folder the labs write into: per lab {@code NAME.html} (its page) and {@code NAME.json} (its summary), and
 * {@code index.html}, rewritten after every lab from the summaries there.
 */
public record LabFolder(Path dir) {
    /** Writes the lab's page and summary, then the index over {@code catalog}; returns the page's path. */
    public Path write(LabRun run, List<Lab> catalog) {
        try {
            Files.createDirectories(dir);
            Path page = dir.resolve(run.lab().name() + ".html");
            Files.writeString(page, LabPage.render(run, Version.get(), Instant.now()));
            LabSummaryFile.write(dir, run);
            writeIndex(catalog);
            return page;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the lab page into " + dir + ": " + e.getMessage(), e);
        }
    }

    public Path writeIndex(List<Lab> catalog) {
        Map<String, JsonNode> summaries = new LinkedHashMap<>();
        for (Lab lab : catalog) LabSummaryFile.read(dir, lab.name()).ifPresent(s -> summaries.put(lab.name(), s));
        Path index = dir.resolve("index.html");
        try {
            Files.createDirectories(dir);
            Files.writeString(index, IndexPage.render(catalog, summaries, Version.get(), Instant.now()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + index + ": " + e.getMessage(), e);
        }
        return index;
    }
}
