package dev.ravine.app.store;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.ravine.data.DataFormatException;
import dev.ravine.data.Normalizer;
import dev.ravine.io.AtomicFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Saves a fitted {@link Normalizer} as JSON ({@code normalizer.json}: its {@link Normalizer#state()} arrays) and loads
 * it back bit-exactly. Each float is written as the double it widens to: that decimal reads back as exactly that double,
 * which narrows to exactly the float, whereas a float's own shortest decimal read through a double could round twice.
 */
public final class NormalizerFile {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private NormalizerFile() {}

    public static void write(Path file, Normalizer normalizer) throws IOException {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("description", normalizer.toString());
        Map<String, double[]> state = new LinkedHashMap<>();
        for (var e : normalizer.state().entrySet()) {
            float[] f = e.getValue();
            double[] d = new double[f.length];
            for (int i = 0; i < f.length; i++) d[i] = f[i];
            state.put(e.getKey(), d);
        }
        doc.put("state", state);
        AtomicFile.writeString(file, JSON.writeValueAsString(doc) + "\n");
    }

    public static Normalizer read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new DataFormatException("the run has no " + file.getFileName() + " (" + file + "); it holds the feature "
                    + "transform the model was trained with, so the run cannot be evaluated without it");
        }
        try {
            Map<String, Object> doc = JSON.readValue(file.toFile(), new TypeReference<>() {});
            Map<String, double[]> saved = JSON.convertValue(doc.get("state"), new TypeReference<Map<String, double[]>>() {});
            if (saved == null) throw new DataFormatException(file + " has no 'state' object; was it written by ravine train?");
            Map<String, float[]> state = new LinkedHashMap<>();
            for (var e : saved.entrySet()) {
                double[] d = e.getValue();
                float[] f = new float[d.length];
                for (int i = 0; i < d.length; i++) f[i] = (float) d[i];
                state.put(e.getKey(), f);
            }
            return Normalizer.fromState(state);
        } catch (IOException | IllegalArgumentException e) {
            throw new DataFormatException("cannot read the normalizer " + file + ": " + e.getMessage(), e);
        }
    }
}
