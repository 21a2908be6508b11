package dev.ravine.lab.page;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ravine.lab.Figure;
import dev.ravine.lab.LabRun;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code NAME.json} beside a lab's page: its verdict, figures, settings and wall time, written when it runs and read
 * by the index page, so {@code ravine lab run} of one lab keeps the others' verdicts on the index.
 */
public final class LabSummaryFile {
    private static final ObjectMapper JSON = new ObjectMapper();

    private LabSummaryFile() {}

    public static Path path(Path dir, String labName) {
        return dir.resolve(labName + ".json");
    }

    public static ObjectNode of(LabRun run) {
        ObjectNode o = JSON.createObjectNode();
        o.put("name", run.lab().name()).put("number", run.lab().number()).put("title", run.lab().title()).put("note", run.lab().note());
        o.put("verdict", run.result().verdict().outcome().name()).put("because", run.result().verdict().because());
        o.put("size", run.settings().size().name().toLowerCase(java.util.Locale.ROOT)).put("seeds", run.settings().seeds().size());
        o.put("seconds", run.seconds());
        ArrayNode deciding = o.putArray("deciding");
        for (String key : run.result().verdict().decidingFigures()) deciding.add(key);
        ArrayNode figures = o.putArray("figures");
        for (Figure f : run.result().figures()) {
            ObjectNode fo = figures.addObject().put("key", f.key()).put("label", f.label()).put("unit", f.unit()).put("formatted", f.formatted());
            if (Double.isFinite(f.value())) fo.put("value", f.value());
            else fo.putNull("value");
        }
        return o;
    }

    public static void write(Path dir, LabRun run) {
        try {
            Files.writeString(path(dir, run.lab().name()), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(of(run)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + path(dir, run.lab().name()) + ": " + e.getMessage(), e);
        }
    }

    /** The stored summary of a lab in {@code dir}, empty when it has not run there (or its file cannot be read). */
    public static Optional<JsonNode> read(Path dir, String labName) {
        Path file = path(dir, labName);
        if (!Files.isRegularFile(file)) return Optional.empty();
        try {
            return Optional.of(JSON.readTree(file.toFile()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
